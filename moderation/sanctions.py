"""Sanctions on members. The state lives on the user row (accounts), so forum
reads it at request time without importing moderation; every change here is
one audited service call."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import NotificationKind, User
from forum.permissions import moderation_reach

from .models import AuditLog
from .services import audit_record


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


@transaction.atomic
def user_suspend(
    *,
    actor,
    user: User,
    until: datetime,
    reason: str,
    ip: str | None = None,
    board_id: int | None = None,
) -> User:
    """Suspend a member until `until` (read-only meanwhile), with the reason shown to them.

    Any moderator may suspend; staff cannot be suspended through the site.
    `board_id` files the audit row under the board where it happened (a report).
    """
    if not moderation_reach(actor):
        raise PermissionDenied(_("Only moderators suspend members."))
    if user.is_staff or user.pk == actor.pk:
        raise PermissionDenied(_("This member cannot be suspended here."))
    reason = " ".join((reason or "").split())[:500]
    if not reason:
        raise ValidationError({"reason": [_("Say why: the member is shown the reason.")]})
    if until <= timezone.now():
        raise ValidationError({"until": [_("A suspension must end in the future.")]})
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = {"suspended_until": _iso(locked.suspended_until), "reason": locked.suspension_reason}
    User.objects.filter(pk=user.pk).update(suspended_until=until, suspension_reason=reason)
    user.suspended_until, user.suspension_reason = until, reason
    audit_record(
        actor=actor,
        action=AuditLog.Action.USER_SUSPEND,
        target_type=AuditLog.TargetType.USER,
        target_id=user.pk,
        target_label=user.username,
        board_id=board_id,
        reason=reason,
        before=before,
        after={"suspended_until": _iso(until), "reason": reason},
        ip=ip,
    )
    account_services.notification_create(
        recipient=user,
        kind=NotificationKind.MODERATION,
        target_url=user.get_absolute_url(),
        target_title=_("Your account is suspended until %(until)s")
        % {"until": timezone.localtime(until).strftime("%Y-%m-%d %H:%M")},
        actor=actor,
        excerpt=reason,
    )
    return user
