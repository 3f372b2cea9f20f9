"""A meetup's sign-ups exported by its organiser: audited, like every export."""

from collections.abc import Iterator

from django.db import transaction

from accounts.models import User
from forum import selectors as forum_selectors
from forum.permissions import check_can_manage_event
from moderation.models import AuditLog
from moderation.selectors.meetups import signups_csv_lines
from moderation.services.audit import audit_record


@transaction.atomic
def meetup_signups_export(*, event, actor: User, ip: str | None = None) -> Iterator[str]:
    """The CSV lines of the sign-up list; the audit row is written before any is sent."""
    check_can_manage_event(actor, event)
    signups = list(forum_selectors.event_signups(event))
    audit_record(
        actor=actor,
        action=AuditLog.Action.MEETUP_EXPORT,
        target=event.thread,
        after={"rows": len(signups)},
        ip=ip,
    )
    return signups_csv_lines(event, signups)
