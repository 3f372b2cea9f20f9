"""Accounts' Celery tasks: thin, each loads by id or date and calls one service.

Services queue these by name (config.jobs.enqueue_on_commit) and never import
this module.
"""

from datetime import date, timedelta

from celery import shared_task
from django.utils import timezone

from accounts import services
from config.jobs import job


@shared_task(name="accounts.send_notification_emails", acks_late=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    return services.notification_emails_send(notification_ids=notification_ids)


@job("accounts.reconcile_reputation")
def reconcile_reputation() -> int:
    """Nightly: repair any member whose total drifted from their ledger."""
    return services.reputation_reconcile().users_repaired


@shared_task(name="accounts.send_invitation_email", acks_late=True)
def send_invitation_email(code_id: int) -> int:
    return services.invitation_email_send(code_id=code_id)


def _day(day: str | None) -> date | None:
    return date.fromisoformat(day) if day else None


@job("accounts.compute_daily_actives", dated=True)
def compute_daily_actives(day: str | None = None) -> dict:
    """Daily actives, engagement and sign-ups for a day (default yesterday), per section too."""
    target = _day(day) or timezone.localdate() - timedelta(days=1)
    row = services.daily_stats_compute(day=target)
    return {"day": row.day.isoformat(), "dau": row.dau, "wau": row.wau, "mau": row.mau}


@job("accounts.activity_partitions", dated=True)
def activity_partitions(day: str | None = None) -> dict:
    """Daily: make the coming months' activity partitions, drop the months past retention."""
    return services.activity_partitions_maintain(today=_day(day))


@job("accounts.update_core_flags", dated=True)
def update_core_flags(day: str | None = None) -> dict:
    """Flag and unflag core users by the 30 days ending a day (default yesterday)."""
    return services.core_flags_update(day=_day(day))


# Early-access programs (scheduled in settings.CELERY_BEAT_SCHEDULE) ------------------


@job("accounts.programs_flag_candidates", dated=True)
def programs_flag_candidates(day: str | None = None) -> dict[int, int]:
    """Daily: each open program's candidates as of `day` (ISO date; default today)."""
    return services.flag_all_candidates(today=_day(day))


@job("accounts.programs_expire_invitations")
def programs_expire_invitations() -> int:
    """Hourly: mark invitations past their expiry as expired."""
    return services.expire_invitations()


@job("accounts.programs_requalify_members", dated=True)
def programs_requalify_members(day: str | None = None) -> dict[int, dict[str, int]]:
    """Weekly: warn, then remove, members of re-qualifying programs who no longer qualify."""
    return services.requalify_all_members(today=_day(day))


@job("accounts.backfill_daily_stats", by_hand=False)
def backfill_daily_stats(first: str, last: str) -> int:
    """Recompute daily stats for every day from first to last (YYYY-MM-DD): each day is
    one upsert, so a run cut off and run again leaves the same rows."""
    return services.daily_stats_backfill(
        first=date.fromisoformat(first), last=date.fromisoformat(last)
    )


@job("accounts.programs_close_weeks", dated=True)
def programs_close_weeks(day: str | None = None) -> dict[int, dict[str, int]]:
    """Weekly (Monday): record last week's programme tasks, warn, remove after warnings."""
    return services.close_all_weeks(today=_day(day))


@job("accounts.award_medals")
def award_medals() -> dict:
    """Nightly: award every rule medal to the members who now qualify (set-based, idempotent)."""
    return services.medals_award_all()
