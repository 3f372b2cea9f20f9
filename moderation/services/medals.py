"""Staff's hand on medals: award one to a member, or take it back, each audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import Medal, MemberMedal, User
from moderation.models import AuditLog
from moderation.permissions import can_award_medals
from moderation.services.audit import audit_record, required_reason


def _check(actor: User) -> None:
    if not can_award_medals(actor):
        raise PermissionDenied(_("Only staff award medals by hand."))


@transaction.atomic
def medal_award(
    *, medal: Medal, user: User, actor: User, reason: str, ip: str | None = None
) -> MemberMedal:
    """Give a member a medal by hand (with the reason, for them and the log)."""
    _check(actor)
    reason = required_reason(reason)
    held = account_services.medal_grant(
        medal=medal, user=user, by_name=actor.username, reason=reason
    )
    if held is None:
        raise ValidationError({"medal": [_("This member holds that medal already.")]})
    audit_record(
        actor=actor,
        action=AuditLog.Action.MEDAL_AWARD,
        target_type=AuditLog.TargetType.USER,
        target_id=user.pk,
        target_label=user.username,
        reason=reason,
        after={"medal": medal.name},
        ip=ip,
    )
    return held


@transaction.atomic
def medal_revoke(
    *, medal: Medal, user: User, actor: User, reason: str, ip: str | None = None
) -> None:
    """Take a medal back (a rule medal comes back at the next nightly run if still earned)."""
    _check(actor)
    reason = required_reason(reason)
    if not account_services.medal_take_back(medal=medal, user=user):
        raise ValidationError({"medal": [_("This member does not hold that medal.")]})
    audit_record(
        actor=actor,
        action=AuditLog.Action.MEDAL_REVOKE,
        target_type=AuditLog.TargetType.USER,
        target_id=user.pk,
        target_label=user.username,
        reason=reason,
        before={"medal": medal.name},
        ip=ip,
    )
