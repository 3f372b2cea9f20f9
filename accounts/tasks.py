from celery import shared_task

from . import invitations_email, notifications_email
from .reputation import reputation_reconcile


@shared_task(name="accounts.send_notification_emails", acks_late=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    return notifications_email.send(notification_ids)


@shared_task(name="accounts.reconcile_reputation", acks_late=True)
def reconcile_reputation() -> int:
    """Nightly: repair any member whose total drifted from their ledger."""
    return reputation_reconcile().users_repaired


@shared_task(name="accounts.send_invitation_email", acks_late=True)
def send_invitation_email(code_id: int) -> int:
    return invitations_email.send(code_id)
