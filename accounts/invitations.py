"""Invitation codes: who may create them, the monthly quota, redeeming at sign-up,
and paying the inviter once their invitee becomes active.

Every write to InvitationCode and InvitationRedemption goes through here. The
two rules that must hold under concurrency are each one conditional UPDATE:
a code's use count rises only while `uses < max_uses` (so a last use admits
exactly one of two simultaneous sign-ups), and a redemption turns active only
while `activated_at IS NULL` (so the inviter is paid once).
"""

import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Sum, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from config.days import day_start

from . import levels
from .models import InvitationCode, InvitationRedemption, ReputationReason, User
from .reputation import reputation_grant

logger = logging.getLogger(__name__)

OPEN = "open"
OPEN_WITH_CODE = "open_with_code"
INVITE_ONLY = "invite_only"
REGISTRATION_MODES = (OPEN, OPEN_WITH_CODE, INVITE_ONLY)

DEFAULTS = {
    "MIN_LEVEL": "active",
    "MONTHLY_QUOTA": {"active": 5, "senior": 20, "core": 50, "legend": 100},
    "MAX_USES": 20,
    "STAFF_MAX_USES": 1000,
    "EXPIRY_DAYS": 30,
    "MAX_EXPIRY_DAYS": 90,
    "ACTIVE_POSTS": 5,
    "ACTIVE_WITHIN_DAYS": 30,
    "RESEND_AFTER_MINUTES": 60,
    "PER_PAGE": 20,
}

# No 0/O, 1/I/L: codes are read aloud and typed from phones. 12 of 32 symbols is
# 60 bits, far beyond guessing within the sign-up rate limit.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def config() -> dict:
    return {**DEFAULTS, **settings.POPCORN.get("INVITATIONS", {})}


def registration_mode() -> str:
    mode = settings.POPCORN.get("REGISTRATION_MODE", OPEN)
    if mode not in REGISTRATION_MODES:
        # A typo must not open an invitation-only site to everyone: fail closed.
        logger.error("Unknown POPCORN['REGISTRATION_MODE'] %r; treating it as invite_only", mode)
        return INVITE_ONLY
    return mode


def normalize_code(raw: str) -> str:
    """What people paste: any case, with spaces or dashes ("abcd-efgh-jkmn")."""
    return "".join((raw or "").split()).replace("-", "").upper()[:32]


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _position in range(CODE_LENGTH))


def join_path(code: str) -> str:
    return reverse("accounts:join", args=[code])


# Checking a code ---------------------------------------------------------------


class InvitationUnavailable(Exception):
    """A code that cannot admit anyone now; `reason` is unknown/revoked/used/expired."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def _unavailable(code: InvitationCode | None) -> InvitationUnavailable:
    if code is None:
        return InvitationUnavailable(
            "unknown", _("There is no invitation with this code. Check it for typos.")
        )
    status = code.status
    if status == "revoked":
        return InvitationUnavailable(
            "revoked", _("This invitation was withdrawn by the member who created it.")
        )
    if status == "used":
        return InvitationUnavailable(
            "used", _("This invitation has already been used as many times as it allows.")
        )
    when = date_format(timezone.localtime(code.expires_at), "DATE_FORMAT")
    message = _("This invitation expired on %(date)s.") % {"date": when}
    return InvitationUnavailable("expired", message)


def invitation_check(raw: str) -> InvitationCode:
    """The code if it can admit someone now; raises InvitationUnavailable saying why not.

    Sign-up forms call this to give a clear error early; the claim itself is
    made again, atomically, by invitation_redeem.
    """
    code = InvitationCode.objects.filter(code=normalize_code(raw)).first()
    if code is None or code.status != "open":
        raise _unavailable(code)
    return code


@transaction.atomic
def invitation_redeem(*, code: str, invitee: User) -> InvitationRedemption:
    """Take one use of `code` for a new member and record who invited them.

    Call it in the transaction that creates the member: if the code is gone
    by now, InvitationUnavailable rolls the sign-up back whole.
    """
    normalized = normalize_code(code)
    # One statement checks and claims: on PostgreSQL a concurrent sign-up waits
    # on the row lock and then re-checks uses < max_uses against the new count.
    claimed = InvitationCode.objects.usable().filter(code=normalized).update(uses=F("uses") + 1)
    if not claimed:
        raise _unavailable(InvitationCode.objects.filter(code=normalized).first())
    code_id, inviter_id = (
        InvitationCode.objects.filter(code=normalized).values_list("pk", "creator_id").get()
    )
    return InvitationRedemption.objects.create(
        code_id=code_id, inviter_id=inviter_id, invitee=invitee, created_at=timezone.now()
    )


# Who may invite, and how many ---------------------------------------------------


def invite_denied_reason(user: User) -> str | None:
    """Why `user` may not create invitations, or None if they may (no query)."""
    if not user.is_authenticated or not user.is_active:
        return _("Sign in to invite people.")
    if user.is_suspended or user.is_silenced:
        return _("You cannot invite new members while your account is restricted.")
    if user.is_staff:
        return None
    needed = levels.level_by_key(config()["MIN_LEVEL"])
    if user.reputation < needed.threshold:
        return _(
            "Invitations open at the %(level)s level (%(threshold)s reputation); "
            "you have %(reputation)s."
        ) % {"level": needed.name, "threshold": needed.threshold, "reputation": user.reputation}
    return None


def monthly_quota(user: User, reputation: int | None = None) -> int | None:
    """People `user` may invite per month; None means no limit (staff)."""
    if user.is_staff:
        return None
    conf = config()
    rank = levels.level_for(user.reputation if reputation is None else reputation).rank
    if rank < levels.level_by_key(conf["MIN_LEVEL"]).rank:
        return 0
    quotas = conf["MONTHLY_QUOTA"]
    listed = [level for level in levels.all_levels() if level.key in quotas]
    if not listed:
        return 0
    # The nearest listed level at or below the member's; below them all, the lowest.
    at_or_below = [level for level in listed if level.rank <= rank]
    return quotas[(at_or_below[-1] if at_or_below else listed[0]).key]


def month_start(now: datetime | None = None) -> datetime:
    """The first instant of this calendar month in the site's time zone."""
    return day_start(timezone.localdate(now or timezone.now()).replace(day=1))


def quota_used(user_id: int, now: datetime | None = None) -> int:
    """Places taken this month, in one query: a code's max_uses, or its uses once revoked."""
    charged = Case(
        When(revoked_at__isnull=True, then=F("max_uses")),
        default=F("uses"),
        output_field=IntegerField(),
    )
    return (
        InvitationCode.objects.filter(
            creator_id=user_id, created_at__gte=month_start(now)
        ).aggregate(total=Sum(charged))["total"]
        or 0
    )


def quota_left(user: User) -> int | None:
    quota = monthly_quota(user)
    return None if quota is None else max(quota - quota_used(user.pk), 0)


def max_uses_allowed(user: User) -> int:
    return config()["STAFF_MAX_USES" if user.is_staff else "MAX_USES"]


# Creating, revoking, sending ---------------------------------------------------


def invitation_create(
    *,
    creator: User,
    max_uses: int = 1,
    expires_in_days: int | None = None,
    email: str = "",
) -> InvitationCode:
    """A new code within the creator's monthly quota; emailed at once if `email` is given.

    Raises PermissionDenied (may not invite) or ValidationError with field
    messages (uses, expiry, quota, email). Writes nothing when it raises.
    """
    conf = config()
    expires_in_days = conf["EXPIRY_DAYS"] if expires_in_days is None else expires_in_days
    errors = {}
    if not 1 <= max_uses <= max_uses_allowed(creator):
        errors["max_uses"] = _("Choose between 1 and %(n)s uses.") % {
            "n": max_uses_allowed(creator)
        }
    if not 1 <= expires_in_days <= conf["MAX_EXPIRY_DAYS"]:
        errors["expires_in_days"] = _("Choose between 1 and %(n)s days.") % {
            "n": conf["MAX_EXPIRY_DAYS"]
        }
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid email address.")
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        # Lock the creator's row: two requests at once queue here, so both
        # cannot see room for one more code. The fresh reputation decides.
        locked = User.objects.select_for_update().filter(pk=creator.pk)
        creator.reputation = locked.values_list("reputation", flat=True).get()
        reason = invite_denied_reason(creator)
        if reason:
            raise PermissionDenied(reason)
        quota = monthly_quota(creator)
        if quota is not None:
            left = quota - quota_used(creator.pk)
            if max_uses > left:
                raise ValidationError(
                    {
                        "max_uses": _(
                            "You can invite %(left)s more people this month (%(quota)s a month "
                            "at your level)."
                        )
                        % {"left": max(left, 0), "quota": quota}
                    }
                )
        now = timezone.now()
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    code = InvitationCode.objects.create(
                        code=_new_code(),
                        creator=creator,
                        creator_name=creator.username,
                        max_uses=max_uses,
                        expires_at=now + timedelta(days=expires_in_days),
                        created_at=now,
                    )
                break
            except IntegrityError:
                continue  # one in 2**60: draw again
        else:
            raise RuntimeError("could not draw a free invitation code")
        if email:
            invitation_send(code=code, sender=creator, email=email)
    return code


@transaction.atomic
def invitation_send(*, code: InvitationCode, sender: User, email: str) -> None:
    """Email the code's /join/ link to `email` (after commit, by a Celery task).

    Only the code's creator sends it; an open code is mailed at most once per
    RESEND_AFTER_MINUTES, so the forum is not a spam cannon.
    """
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address.")}) from None
    if code.creator_id != sender.pk:
        raise PermissionDenied(_("Only the member who created this code can send it."))
    if sender.is_suspended or sender.is_silenced:
        raise PermissionDenied(_("You cannot send invitations while your account is restricted."))
    now = timezone.now()
    wait = timedelta(minutes=config()["RESEND_AFTER_MINUTES"])
    sendable = InvitationCode.objects.usable(now).filter(pk=code.pk)
    if not sendable.filter(Q(sent_at__isnull=True) | Q(sent_at__lte=now - wait)).update(
        sent_to=email, sent_at=now
    ):
        if not sendable.exists():
            raise ValidationError({"email": _unavailable(code).message})
        raise ValidationError(
            {"email": _("This code was emailed a moment ago; you can send it again later.")}
        )
    code.sent_to, code.sent_at = email, now

    from .tasks import send_invitation_email

    transaction.on_commit(lambda: send_invitation_email.delay(code.pk))


def invitation_revoke(*, code: InvitationCode, actor: User) -> bool:
    """Withdraw a code (its creator or staff); False if it was already revoked.

    Members already admitted keep their accounts; the unused places return to
    the creator's monthly quota.
    """
    if actor.pk != code.creator_id and not actor.is_staff:
        raise PermissionDenied(_("Only the member who created this code can revoke it."))
    now = timezone.now()
    revoked = InvitationCode.objects.filter(pk=code.pk, revoked_at__isnull=True).update(
        revoked_at=now
    )
    if revoked:
        code.revoked_at = now
    return bool(revoked)


def invitation_revoke_many(*, code_ids, actor: User) -> int:
    """Staff withdraw many codes in one UPDATE (the admin's action); returns how many."""
    if not actor.is_staff:
        raise PermissionDenied(_("Only staff can revoke other members' codes."))
    return InvitationCode.objects.filter(pk__in=code_ids, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


# Invitees becoming active ------------------------------------------------------


def invitee_record_post(*, user_id: int) -> bool:
    """Mark `user_id`'s invitation active once they reach the post target in time.

    Called from accounts.services.user_record_post on every post, after the
    post count rose, in the post's transaction: one indexed UPDATE that matches
    nothing for almost everyone. True when this call made the invitee active.
    """
    conf = config()
    now = timezone.now()
    # Every condition sits on the redemption row itself (the post count through
    # EXISTS, not a join), so a concurrent second UPDATE re-checks
    # activated_at IS NULL after the first commits, and matches nothing.
    became_active = (
        InvitationRedemption.objects.filter(
            invitee_id=user_id,
            activated_at__isnull=True,
            created_at__gte=now - timedelta(days=conf["ACTIVE_WITHIN_DAYS"]),
        )
        .filter(
            Exists(
                User.objects.filter(pk=OuterRef("invitee_id"), post_count__gte=conf["ACTIVE_POSTS"])
            )
        )
        .update(activated_at=now)
    )
    if not became_active:
        return False
    inviter_id, username = (
        InvitationRedemption.objects.filter(invitee_id=user_id)
        .values_list("inviter_id", "invitee__username")
        .get()
    )
    if inviter_id is not None:
        reputation_grant(
            user_id=inviter_id,
            reason=ReputationReason.INVITEE_ACTIVE,
            source=f"invitee:{user_id}",
            title=_("%(name)s, whom you invited, became active") % {"name": username},
            url=reverse("forum:member", kwargs={"username": username}),
            at=now,
        )
    return True
