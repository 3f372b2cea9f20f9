"""Sanctions on members: warn, silence, suspend, and lift them early.

Who may do what to whom is moderation.permissions.sanction_powers (Discourse
and Discuz! both keep suspensions for the higher roles and never let
moderators sanction their peers).

A suspension is read-only access; a silence stops posting (see
forum.permissions.sanction_denied_reason). A permanent suspension ends at
accounts.models.SANCTION_PERMANENT_UNTIL (pass until=None). Each action, in one
transaction: lock the member's row, check the rule above (PermissionDenied
before anything is written), write the fields (accounts.services.sanctions), append one
audit row, tell the member why. The audit log is the history; warnings also
have their own rows, which count towards the automatic silence.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts import services as account_services
from accounts.models import SANCTION_PERMANENT_UNTIL, NotificationKind, User
from accounts.selectors import language_for
from forum.models import Board
from moderation.models import AuditLog, Warning
from moderation.permissions import (
    LIFT_SILENCE,
    LIFT_SUSPENSION,
    SILENCE,
    SUSPEND,
    WARN,
    check_sanction_power,
    may_silence_long,
)
from moderation.services.audit import audit_record, required_reason
from moderation.services.program_scores import SILENCE as SCORE_SILENCE
from moderation.services.program_scores import score_after_commit

Action = AuditLog.Action


def _lock_user(user: User | int) -> User:
    pk = user if isinstance(user, int) else user.pk
    return User.objects.select_for_update().get(pk=pk)


def _required_reason(reason: str) -> str:
    return required_reason(reason, why_needed=_("Say why; the member is told."))


def _audit(
    *,
    actor: User,
    user: User,
    action: str,
    board: Board | None,
    reason: str,
    before: dict | None = None,
    after: dict | None = None,
    ip: str | None = None,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type=AuditLog.TargetType.USER,
        target_id=user.pk,
        target_label=user.username,
        board_id=board.pk if board else None,
        reason=reason,
        before=before,
        after=after,
        ip=ip,
    )


def _tell(
    *, user: User, actor: User, title_key: str, reason: str, until: datetime | None = None
) -> None:
    """Tell the member (a key of moderation.notification_texts); `until` is shown in
    the member's own date format when they read it."""
    account_services.notification_create(
        recipient=user,
        kind=NotificationKind.MODERATION,
        target_url=user.get_absolute_url(),
        title_key=title_key,
        title_params={"until": until.isoformat()} if until else {},
        target_title=user.username,
        actor=actor,
        excerpt=reason,
    )


def _state(until: datetime | None, reason: str) -> dict | None:
    if until is None or until <= timezone.now():
        return None
    return {"until": until.isoformat(), "reason": reason}


def _check_future(until: datetime) -> None:
    if until <= timezone.now():
        raise ValidationError({"until": [_("Choose a time in the future.")]})


# Suspensions -----------------------------------------------------------------


@transaction.atomic
def user_suspend(
    *,
    actor: User,
    user: User,
    until: datetime | None,
    reason: str,
    ip: str | None = None,
    board: Board | None = None,
) -> User:
    """Suspend until `until`, or permanently with until=None; replaces a current suspension."""
    target = _lock_user(user)
    check_sanction_power(actor, target, SUSPEND, board=board)
    reason = _required_reason(reason)
    until = SANCTION_PERMANENT_UNTIL if until is None else until
    _check_future(until)
    before = _state(target.suspended_until, target.suspension_reason)
    account_services.sanction_set(user_id=target.pk, kind="suspension", until=until, reason=reason)
    permanent = until >= SANCTION_PERMANENT_UNTIL
    _audit(
        actor=actor,
        user=target,
        action=Action.USER_SUSPEND,
        board=board,
        reason=reason,
        before=before,
        after={"until": until.isoformat(), "permanent": permanent},
        ip=ip,
    )
    if permanent:
        _tell(user=target, actor=actor, title_key="moderation.suspended", reason=reason)
    else:
        _tell(
            user=target,
            actor=actor,
            title_key="moderation.suspended_until",
            until=until,
            reason=reason,
        )
    target.refresh_from_db(fields=["suspended_until", "suspension_reason"])
    return target


_LIFTS = {
    # kind: (power, audit action, refusal when none is in force, what the member is told)
    "suspension": (
        LIFT_SUSPENSION,
        Action.USER_UNSUSPEND,
        gettext_lazy("This member is not suspended."),
        "moderation.suspension_lifted",
    ),
    "silence": (
        LIFT_SILENCE,
        Action.USER_UNSILENCE,
        gettext_lazy("This member is not silenced."),
        "moderation.silence_lifted",
    ),
}


def _lift(
    *,
    kind: str,
    actor: User,
    user: User,
    reason: str,
    ip: str | None,
    board: Board | None,
) -> User:
    """End a suspension or a silence early; ValidationError when none is in force."""
    power, action, not_in_force, told = _LIFTS[kind]
    fields = ["suspended_until", "suspension_reason"]
    if kind == "silence":
        fields = ["silenced_until", "silence_reason"]
    target = _lock_user(user)
    check_sanction_power(actor, target, power, board=board)
    before = _state(*(getattr(target, field) for field in fields))
    if not account_services.sanction_lift(user_id=target.pk, kind=kind):
        raise ValidationError(str(not_in_force))
    _audit(
        actor=actor,
        user=target,
        action=action,
        board=board,
        reason=" ".join(reason.split()),
        before=before,
        after=None,
        ip=ip,
    )
    _tell(user=target, actor=actor, title_key=told, reason=reason)
    target.refresh_from_db(fields=fields)
    return target


@transaction.atomic
def user_lift_suspension(
    *, actor: User, user: User, reason: str = "", ip: str | None = None, board: Board | None = None
) -> User:
    """End a suspension early; ValidationError when none is in force."""
    return _lift(kind="suspension", actor=actor, user=user, reason=reason, ip=ip, board=board)


# Silences --------------------------------------------------------------------


def _silence(
    *,
    actor: User,
    target: User,
    until: datetime,
    reason: str,
    board: Board | None,
    ip: str | None,
    after: dict,
) -> None:
    before = _state(target.silenced_until, target.silence_reason)
    account_services.sanction_set(user_id=target.pk, kind="silence", until=until, reason=reason)
    _audit(
        actor=actor,
        user=target,
        action=Action.USER_SILENCE,
        board=board,
        reason=reason,
        before=before,
        after={"until": until.isoformat(), **after},
        ip=ip,
    )
    _tell(
        user=target, actor=actor, title_key="moderation.silenced_until", until=until, reason=reason
    )
    score_after_commit(
        user_id=target.pk, reason=SCORE_SILENCE, source=f"silence:{target.pk}:{until.isoformat()}"
    )


@transaction.atomic
def user_silence(
    *,
    actor: User,
    user: User,
    until: datetime,
    reason: str,
    ip: str | None = None,
    board: Board | None = None,
) -> User:
    """Silence until `until` (replacing a current silence): may read and like, not post."""
    target = _lock_user(user)
    check_sanction_power(actor, target, SILENCE, board=board)
    reason = _required_reason(reason)
    _check_future(until)
    if not may_silence_long(actor):
        longest = settings.POPCORN["BOARD_MODERATOR_MAX_SILENCE_DAYS"]
        if until - timezone.now() > timedelta(days=longest, minutes=1):
            message = ngettext(
                "Board moderators silence for at most %(days)d day.",
                "Board moderators silence for at most %(days)d days.",
                longest,
            )
            raise ValidationError({"until": [message % {"days": longest}]})
    _silence(actor=actor, target=target, until=until, reason=reason, board=board, ip=ip, after={})
    target.refresh_from_db(fields=["silenced_until", "silence_reason"])
    return target


@transaction.atomic
def user_lift_silence(
    *, actor: User, user: User, reason: str = "", ip: str | None = None, board: Board | None = None
) -> User:
    """End a silence early; ValidationError when none is in force."""
    return _lift(kind="silence", actor=actor, user=user, reason=reason, ip=ip, board=board)


# Warnings --------------------------------------------------------------------


@transaction.atomic
def user_warn(
    *, actor: User, user: User, reason: str, ip: str | None = None, board: Board | None = None
) -> Warning:
    """Warn a member; the WARNINGS_TO_SILENCE-th within the window silences them.

    The member's row is locked first, so two moderators warning at once count
    one after the other: the threshold is crossed once, not twice or never.
    The automatic silence is audited like any other, with this moderator as
    its actor and "automatic" in its after-state; it never shortens a longer
    silence already in force.
    """
    target = _lock_user(user)
    check_sanction_power(actor, target, WARN, board=board)
    reason = _required_reason(reason)
    now = timezone.now()
    warning = Warning.objects.create(
        user=target, by=actor, by_name=actor.username, reason=reason, board=board, created_at=now
    )
    _audit(actor=actor, user=target, action=Action.USER_WARN, board=board, reason=reason, ip=ip)
    _tell(user=target, actor=actor, title_key="moderation.warned", reason=reason)

    rules = settings.POPCORN
    window = timedelta(days=rules["WARNINGS_WINDOW_DAYS"])
    recent = Warning.objects.filter(user=target, created_at__gt=now - window).count()
    if recent >= rules["WARNINGS_TO_SILENCE"]:
        until = now + timedelta(hours=rules["WARNINGS_SILENCE_HOURS"])
        if target.silenced_until is None or target.silenced_until < until:
            # Kept as the silence's reason, which the member reads: in their language.
            with translation.override(language_for(target)):
                automatic = ngettext(
                    "Automatic: %(count)d warning within %(days)d days.",
                    "Automatic: %(count)d warnings within %(days)d days.",
                    recent,
                ) % {"count": recent, "days": rules["WARNINGS_WINDOW_DAYS"]}
            _silence(
                actor=actor,
                target=target,
                until=until,
                reason=automatic,
                board=board,
                ip=ip,
                after={"automatic": True, "warnings": recent},
            )
    return warning


def sanctions_tidy_expired() -> int:
    """Clear sanction fields whose time has passed (the periodic task's work)."""
    return account_services.sanctions_clear_expired()
