"""Appointing moderators: board and section roles, and the global-moderator flag.

Staff only, each change with its audit row in the same transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from forum.models import Board, Section
from forum.permissions import forget_moderation_reach
from forum.services import _moderation_unchecked as forum_unchecked
from moderation.models import AuditLog
from moderation.permissions import check_can_appoint_moderators
from moderation.services.audit import audit_record

Action = AuditLog.Action


# Board and section roles -------------------------------------------------------


def _role_audit(
    *,
    actor: User,
    user: User,
    board: Board | None,
    section: Section | None,
    action: str,
    ip: str | None,
) -> None:
    where = {"board_id": board.pk, "board": board.name} if board else {}
    where = where or {"section_id": section.pk, "section": section.name}
    audit_record(
        actor=actor,
        action=action,
        target_type=AuditLog.TargetType.USER,
        target_id=user.pk,
        target_label=user.username,
        board_id=board.pk if board else None,
        before=None if action == Action.MODERATOR_ADD else where,
        after=where if action == Action.MODERATOR_ADD else None,
        ip=ip,
    )


@transaction.atomic
def moderator_add(
    *,
    user: User,
    actor: User,
    board: Board | None = None,
    section: Section | None = None,
    ip: str | None = None,
) -> bool:
    """Appoint a board moderator or a section moderator (staff only); False if already."""
    check_can_appoint_moderators(actor)
    if not forum_unchecked.grant_moderator_role(user=user, board=board, section=section):
        return False
    _role_audit(
        actor=actor, user=user, board=board, section=section, action=Action.MODERATOR_ADD, ip=ip
    )
    return True


@transaction.atomic
def moderator_remove(
    *,
    user: User,
    actor: User,
    board: Board | None = None,
    section: Section | None = None,
    ip: str | None = None,
) -> bool:
    """Take a board or section role away (staff only); False if the user did not have it."""
    check_can_appoint_moderators(actor)
    if not forum_unchecked.revoke_moderator_role(user=user, board=board, section=section):
        return False
    _role_audit(
        actor=actor, user=user, board=board, section=section, action=Action.MODERATOR_REMOVE, ip=ip
    )
    return True


# Global moderators ---------------------------------------------------------------


def _global_flag(*, user: User, actor: User, on: bool, ip: str | None) -> bool:
    check_can_appoint_moderators(actor)
    target = User.objects.select_for_update().get(pk=user.pk)
    if target.is_global_moderator == on:
        return False
    if on and target.is_staff:
        raise ValidationError(_("Staff moderate every board already."))
    User.objects.filter(pk=target.pk).update(is_global_moderator=on)
    user.is_global_moderator = on
    forget_moderation_reach(user)
    audit_record(
        actor=actor,
        action=Action.GLOBAL_MODERATOR_GRANT if on else Action.GLOBAL_MODERATOR_REVOKE,
        target_type=AuditLog.TargetType.USER,
        target_id=target.pk,
        target_label=target.username,
        before={"is_global_moderator": not on},
        after={"is_global_moderator": on},
        ip=ip,
    )
    return True


@transaction.atomic
def global_moderator_grant(*, user: User, actor: User, ip: str | None = None) -> bool:
    """Make a member a global moderator: every board, and suspensions (staff only).

    False when they are one already; staff cannot be made one (they are more).
    """
    return _global_flag(user=user, actor=actor, on=True, ip=ip)


@transaction.atomic
def global_moderator_revoke(*, user: User, actor: User, ip: str | None = None) -> bool:
    """Take global-moderator rights away (staff only); False when they had none."""
    return _global_flag(user=user, actor=actor, on=False, ip=ip)
