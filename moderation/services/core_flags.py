"""Staff writes from the console, each with its audit row in the same transaction."""

from django.db import transaction

from accounts import services as account_services
from accounts.models import CoreFlagChange, User
from moderation.models import AuditLog
from moderation.services.audit import audit_record


@transaction.atomic
def core_flag_lock(
    *, user: User, actor: User, lock: str, reason: str, ip: str | None = None
) -> CoreFlagChange:
    """Lock a member's core flag on or off (or unlock it), logged in the audit log."""
    change = account_services.core_flag_lock(user=user, actor=actor, lock=lock, reason=reason)
    audit_record(
        actor=actor,
        action=AuditLog.Action.CORE_LOCK,
        target_type=AuditLog.TargetType.USER,
        target_id=user.pk,
        target_label=user.username,
        reason=change.reason,
        before={"core": change.old},
        after={"core": change.new, "lock": lock or "none"},
        ip=ip,
    )
    return change
