"""Closing a poll: by its author, or by a board moderator (audited, in the same transaction)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from forum import services as forum_services
from forum.models import Poll, Thread
from forum.permissions import can_moderate
from forum.services import _moderation_unchecked as forum_unchecked
from moderation.models import AuditLog
from moderation.services.audit import audit_record


@transaction.atomic
def poll_close(
    *, poll: Poll, thread: Thread, actor: User, reason: str = "", ip: str | None = None
) -> bool:
    """Close the poll now; False when it was closed already. A moderator closing someone
    else's poll leaves a row in the audit log."""
    if actor.is_authenticated and thread.author_id == actor.pk:
        return forum_services.poll_close(poll=poll, thread=thread, actor=actor)
    if not can_moderate(actor, thread.board):
        raise PermissionDenied(_("Only the thread's author or a moderator can close its poll."))
    closed = forum_unchecked.close_poll(poll=poll, thread=thread, actor=actor)
    if closed:
        audit_record(
            actor=actor,
            action=AuditLog.Action.POLL_CLOSE,
            target=thread,
            reason=" ".join((reason or "").split())[:500],
            before={"poll_closed": False},
            after={"poll_closed": True},
            ip=ip,
        )
    return closed
