"""Invitation codes: creating, sending and revoking them, redeeming one at sign-up,
and paying the inviter once their invitee becomes active.

Every write to InvitationCode and InvitationRedemption goes through here. The
two rules that must hold under concurrency are each one conditional UPDATE:
a code's use count rises only while `uses < max_uses` (so a last use admits
exactly one of two simultaneous sign-ups), and a redemption turns active only
while `activated_at IS NULL` (so the inviter is paid once). Who may invite and
the knobs are accounts.permissions'; the quota and code checks are reads
(accounts.selectors.invitations).
"""

import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import permissions
from accounts.models import InvitationCode, InvitationRedemption, ReputationReason, User
from accounts.selectors.invitations import (
    invitation_unavailable,
    max_uses_allowed,
    monthly_quota,
    normalize_code,
    quota_used,
)
from config.jobs import enqueue_on_commit

from .reputation import reputation_grant

# No 0/O, 1/I/L: codes are read aloud and typed from phones. 12 of 32 symbols is
# 60 bits, far beyond guessing within the sign-up rate limit.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _position in range(CODE_LENGTH))


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
        raise invitation_unavailable(InvitationCode.objects.filter(code=normalized).first())
    code_id, inviter_id = (
        InvitationCode.objects.filter(code=normalized).values_list("pk", "creator_id").get()
    )
    return InvitationRedemption.objects.create(
        code_id=code_id, inviter_id=inviter_id, invitee=invitee, created_at=timezone.now()
    )


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
    conf = permissions.invitation_config()
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
        permissions.check_can_invite(creator)
        quota = monthly_quota(creator)
        if quota is not None:
            left = quota - quota_used(creator.pk)
            if max_uses > left:
                raise ValidationError(
                    {
                        "max_uses": ngettext(
                            "You can invite %(left)s more person this month (%(quota)s a month "
                            "at your level).",
                            "You can invite %(left)s more people this month (%(quota)s a month "
                            "at your level).",
                            max(left, 0),
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
    permissions.check_can_send_invitation(sender, code)
    now = timezone.now()
    wait = timedelta(minutes=permissions.invitation_config()["RESEND_AFTER_MINUTES"])
    sendable = InvitationCode.objects.usable(now).filter(pk=code.pk)
    if not sendable.filter(Q(sent_at__isnull=True) | Q(sent_at__lte=now - wait)).update(
        sent_to=email, sent_at=now
    ):
        if not sendable.exists():
            raise ValidationError({"email": invitation_unavailable(code).message})
        raise ValidationError(
            {"email": _("This code was emailed a moment ago; you can send it again later.")}
        )
    code.sent_to, code.sent_at = email, now
    enqueue_on_commit("accounts.send_invitation_email", code.pk)


def invitation_revoke(*, code: InvitationCode, actor: User) -> bool:
    """Withdraw a code (its creator or staff); False if it was already revoked.

    Members already admitted keep their accounts; the unused places return to
    the creator's monthly quota.
    """
    permissions.check_can_revoke_invitation(actor, code)
    now = timezone.now()
    revoked = InvitationCode.objects.filter(pk=code.pk, revoked_at__isnull=True).update(
        revoked_at=now
    )
    if revoked:
        code.revoked_at = now
    return bool(revoked)


def invitation_revoke_many(*, code_ids: Iterable[int] | QuerySet, actor: User) -> int:
    """Staff withdraw many codes in one UPDATE (the admin's action); returns how many."""
    permissions.check_can_revoke_many_invitations(actor)
    return InvitationCode.objects.filter(pk__in=code_ids, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


# Invitees becoming active ------------------------------------------------------


def invitee_record_post(*, user_id: int) -> bool:
    """Mark `user_id`'s invitation active once they reach the post target in time.

    Called from user_record_post (accounts.services.activity) on every post, after the
    post count rose, in the post's transaction: one indexed UPDATE that matches
    nothing for almost everyone. True when this call made the invitee active.
    """
    conf = permissions.invitation_config()
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
            params={"name": username},
            url=reverse("forum:member", kwargs={"username": username}),
            at=now,
        )
    return True
