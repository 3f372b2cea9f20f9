from celery import shared_task

from . import sanctions


@shared_task(name="moderation.tidy_expired_sanctions", acks_late=True)
def tidy_expired_sanctions() -> int:
    """Clear expired suspensions and silences; idempotent, set-based. Returns rows changed.

    Expiry already takes effect at request time; this keeps the columns honest
    for lists and the admin.
    """
    return sanctions.sanctions_tidy_expired()
