"""Who may do what in accounts: one place for the rules views, services and templates share.

`can_x(user, obj) -> bool` answers for templates and views, `x_denied_reason(...)`
says why not (None: allowed), `check_can_x(...)` raises PermissionDenied. The
invitation knobs live here too, because the rules read them.
"""

import logging
from types import SimpleNamespace

from allauth.account.internal.flows.login import get_authentication_records
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import levels
from accounts.models import InvitationCode, MembershipState, Program, ProgramMembership, User
from config.defaults import DEFAULT_INVITATIONS

logger = logging.getLogger(__name__)

# Invitations: the registration mode and the knobs ----------------------------

OPEN = "open"
OPEN_WITH_CODE = "open_with_code"
INVITE_ONLY = "invite_only"
REGISTRATION_MODES = (OPEN, OPEN_WITH_CODE, INVITE_ONLY)


def invitation_config() -> dict:
    return {**DEFAULT_INVITATIONS, **settings.POPCORN.get("INVITATIONS", {})}


def registration_mode() -> str:
    mode = settings.POPCORN.get("REGISTRATION_MODE", OPEN)
    if mode not in REGISTRATION_MODES:
        # A typo must not open an invitation-only site to everyone: fail closed.
        logger.error("Unknown POPCORN['REGISTRATION_MODE'] %r; treating it as invite_only", mode)
        return INVITE_ONLY
    return mode


def _is_restricted(user: User) -> bool:
    return user.is_suspended or user.is_silenced


# Who may invite ----------------------------------------------------------------


def invite_denied_reason(user: User) -> str | None:
    """Why `user` may not create invitations, or None if they may (no query)."""
    if not user.is_authenticated or not user.is_active:
        return _("Sign in to invite people.")
    if _is_restricted(user):
        return _("You cannot invite new members while your account is restricted.")
    if user.is_staff:
        return None
    needed = levels.level_by_key(invitation_config()["MIN_LEVEL"])
    if user.reputation < needed.threshold:
        return _(
            "Invitations open at the %(level)s level (%(threshold)s reputation); "
            "you have %(reputation)s."
        ) % {"level": needed.name, "threshold": needed.threshold, "reputation": user.reputation}
    return None


def can_invite(user: User) -> bool:
    return invite_denied_reason(user) is None


def check_can_invite(user: User) -> None:
    reason = invite_denied_reason(user)
    if reason:
        raise PermissionDenied(reason)


def invitation_send_denied_reason(user: User, code: InvitationCode) -> str | None:
    """Only the code's creator emails it, and not while their account is restricted."""
    if code.creator_id != user.pk:
        return _("Only the member who created this code can send it.")
    if _is_restricted(user):
        return _("You cannot send invitations while your account is restricted.")
    return None


def check_can_send_invitation(user: User, code: InvitationCode) -> None:
    reason = invitation_send_denied_reason(user, code)
    if reason:
        raise PermissionDenied(reason)


def can_revoke_invitation(user: User, code: InvitationCode) -> bool:
    """A code is withdrawn by its creator or by staff."""
    return user.pk == code.creator_id or user.is_staff


def check_can_revoke_invitation(user: User, code: InvitationCode) -> None:
    if not can_revoke_invitation(user, code):
        raise PermissionDenied(_("Only the member who created this code can revoke it."))


def check_can_revoke_many_invitations(user: User) -> None:
    if not user.is_staff:
        raise PermissionDenied(_("Only staff can revoke other members' codes."))


# Profiles and ledgers ------------------------------------------------------------


def can_edit_profile(user: User, member: User) -> bool:
    return user.is_authenticated and user.pk == member.pk


def can_see_ledger(viewer, member: User) -> bool:
    # A ledger names the threads that earned points, some of them in boards
    # only members can read, so it is for its owner and the staff.
    return viewer.is_authenticated and (
        viewer.pk == member.pk or viewer.is_staff or viewer.is_global_moderator
    )


def check_can_see_ledger(viewer, member: User) -> None:
    if not can_see_ledger(viewer, member):
        raise PermissionDenied(_("Only the member and the staff can see this ledger."))


# The core-user flag ----------------------------------------------------------------


def can_lock_core_flag(actor) -> bool:
    return actor.is_authenticated and actor.is_active and actor.is_staff


def check_can_lock_core_flag(actor) -> None:
    if not can_lock_core_flag(actor):
        raise PermissionDenied(_("Only staff lock the core flag."))


# Early-access programs -------------------------------------------------------------


def program_invite_denied_reason(program: Program, user: User) -> str | None:
    """Why this user cannot be invited to this program now, or None (two queries at most)."""
    if not user.is_active:
        return _("%(user)s's account is disabled.") % {"user": user.username}
    now = timezone.now()
    rows = ProgramMembership.objects.filter(program=program, user=user)
    live = rows.filter(
        Q(state=MembershipState.ACCEPTED) | Q(state=MembershipState.INVITED, expires_at__gt=now)
    ).first()
    if live is not None and live.state == MembershipState.ACCEPTED:
        return _("%(user)s is already a member of “%(program)s”.") % {
            "user": user.username,
            "program": program.name,
        }
    if live is not None:
        return _("%(user)s already has a pending invitation to “%(program)s”.") % {
            "user": user.username,
            "program": program.name,
        }
    cooling = rows.filter(cooling_off_until__gt=now).order_by("-cooling_off_until").first()
    if cooling is not None:
        why = _("left") if cooling.state == MembershipState.LEFT else _("was removed from")
        return _(
            "%(user)s %(why)s “%(program)s” recently and cannot be invited again before %(date)s."
        ) % {
            "user": user.username,
            "why": why,
            "program": program.name,
            "date": date_format(timezone.localtime(cooling.cooling_off_until), "DATETIME_FORMAT"),
        }
    return None


# Two-factor sign-in for the people with power ------------------------------------
#
# Moderators and staff use their tools only in a session that passed a second factor
# (allauth MFA: an authenticator app, a recovery code or a passkey), when
# POPCORN["MFA_REQUIRED_FOR_MODERATORS"] says so. The session says which methods
# signed it in; SecondFactorMiddleware (pages) and the API's token authentication
# note the answer on the request's user, and the moderation rules read it here.

SECOND_FACTOR_ATTR = "second_factor_pending"


def note_second_factor(user, session) -> None:
    """Note on this request's user whether its session still lacks a second factor."""
    if not settings.POPCORN["MFA_REQUIRED_FOR_MODERATORS"]:
        return
    records = get_authentication_records(SimpleNamespace(session=session), user)
    passed = any(record.get("method") == "mfa" for record in records)
    setattr(user, SECOND_FACTOR_ATTR, not passed)


def lacks_second_factor(user) -> bool:
    """Whether this request's user must still pass a second factor to use their powers."""
    return bool(getattr(user, SECOND_FACTOR_ATTR, False))


def second_factor_refusal() -> str:
    return _(
        "Moderators and staff use their tools only when signed in with two-factor "
        "authentication: turn it on (your menu, Two-factor sign-in), or sign in again "
        "with your code."
    )
