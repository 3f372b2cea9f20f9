from datetime import date

from celery import shared_task

from . import notifications_email, programs


@shared_task(name="accounts.send_notification_emails", acks_late=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    return notifications_email.send(notification_ids)


# Early-access programs (scheduled in settings.CELERY_BEAT_SCHEDULE) ------------------


@shared_task(name="accounts.programs_flag_candidates", acks_late=True)
def programs_flag_candidates(day: str | None = None) -> dict[int, int]:
    """Daily: each open program's candidates as of `day` (ISO date; default today)."""
    return programs.flag_all_candidates(today=date.fromisoformat(day) if day else None)


@shared_task(name="accounts.programs_expire_invitations", acks_late=True)
def programs_expire_invitations() -> int:
    return programs.expire_invitations()


@shared_task(name="accounts.programs_requalify_members", acks_late=True)
def programs_requalify_members(day: str | None = None) -> dict[int, dict[str, int]]:
    """Weekly: warn, then remove, members of re-qualifying programs who no longer qualify."""
    return programs.requalify_all_members(today=date.fromisoformat(day) if day else None)
