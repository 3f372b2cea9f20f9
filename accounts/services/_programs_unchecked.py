"""The staff-side mechanics of early-access programs: create, update, invite one user,
invite candidates, remove a member. Not exported: moderation's verbs of the same
purpose (program_create, program_invite, ...) check the actor is staff, call
these and append the audit row in the same transaction; nothing else may.
"""

import enum
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import levels
from accounts.models import (
    LIVE_STATES,
    PROGRAM_FIELDS,
    Device,
    MembershipState,
    NotificationKind,
    Program,
    ProgramCandidate,
    ProgramMembership,
    User,
)
from accounts.permissions import program_invite_denied_reason

from .notifications import notification_create, notification_fan_out
from .programs import ProgramStateError, _end, _knob, invitations_url

State = MembershipState


class Keep(enum.Enum):
    KEEP = "keep"


# update(): an argument left at KEEP keeps the program's current value.
KEEP = Keep.KEEP


def _new_code() -> str:
    return secrets.token_urlsafe(16)[:22]


# A programme's dates stay within years any time zone can show: before 1901 some zones
# had offsets in seconds (no ISO 8601 form), and near year 9999 local time overflows.
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC)


def _validate_program(fields: dict, *, devices: list[Device], seats_taken: int = 0) -> None:
    errors: dict[str, list[str]] = {}
    for name in ("starts_at", "ends_at"):
        moment = fields.get(name)
        if moment is not None and not EARLIEST <= moment < LATEST:
            errors[name] = [_("Choose a date between the years 2000 and 8999.")]
    if fields.get("seats", 0) < seats_taken:
        errors["seats"] = [
            ngettext(
                "%(n)d seat is already taken; the program needs at least that many.",
                "%(n)d seats are already taken; the program needs at least that many.",
                seats_taken,
            )
            % {"n": seats_taken}
        ]
    starts_at, ends_at = fields.get("starts_at"), fields.get("ends_at")
    if starts_at and ends_at and ends_at <= starts_at and "ends_at" not in errors:
        errors["ends_at"] = [_("The end must come after the start.")]
    if fields.get("min_level") and fields["min_level"] not in {
        level.key for level in levels.all_levels()
    }:
        errors["min_level"] = [_("Choose one of the levels.")]
    if fields.get("requires_device") and not list(devices):
        errors["devices"] = [_("Choose the program's devices, or don't require owning one.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create(
    *,
    created_by: User | None,
    devices: Iterable[Device] = (),
    name: str,
    slug: str,
    seats: int,
    description: str = "",
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    status: str = Program.Status.DRAFT,
    min_reputation: int = 0,
    min_level: str = "",
    min_days_active_30d: int = 0,
    min_posts_30d: int = 0,
    requires_device: bool = False,
    min_account_age_days: int = 0,
    exclude_suspended: bool = True,
    requalify_weekly: bool = False,
) -> Program:
    """A new program (starting now unless `starts_at` says otherwise) with its devices."""
    fields = {
        "name": name,
        "slug": slug,
        "description": description,
        "seats": seats,
        "starts_at": starts_at or timezone.now(),
        "ends_at": ends_at,
        "status": status,
        "min_reputation": min_reputation,
        "min_level": min_level,
        "min_days_active_30d": min_days_active_30d,
        "min_posts_30d": min_posts_30d,
        "requires_device": requires_device,
        "min_account_age_days": min_account_age_days,
        "exclude_suspended": exclude_suspended,
        "requalify_weekly": requalify_weekly,
    }
    devices = list(devices)
    _validate_program(fields, devices=devices)
    program = Program(created_by=created_by, **fields)
    try:
        with transaction.atomic():
            program.save()
    except IntegrityError as exc:
        raise ValidationError({"slug": [_("Another program already uses this slug.")]}) from exc
    program.devices.set(devices)
    return program


@transaction.atomic
def update(
    *,
    program: Program,
    devices: Iterable[Device] | None = None,
    name: str | Keep = KEEP,
    slug: str | Keep = KEEP,
    description: str | Keep = KEEP,
    seats: int | Keep = KEEP,
    starts_at: datetime | Keep = KEEP,
    ends_at: datetime | Keep | None = KEEP,
    status: str | Keep = KEEP,
    min_reputation: int | Keep = KEEP,
    min_level: str | Keep = KEEP,
    min_days_active_30d: int | Keep = KEEP,
    min_posts_30d: int | Keep = KEEP,
    requires_device: bool | Keep = KEEP,
    min_account_age_days: int | Keep = KEEP,
    exclude_suspended: bool | Keep = KEEP,
    requalify_weekly: bool | Keep = KEEP,
) -> Program:
    """Change a program; seats never drop below the seats already taken.

    Arguments left out keep their value; `devices` None keeps the devices.
    """
    given = {
        "name": name,
        "slug": slug,
        "description": description,
        "seats": seats,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "status": status,
        "min_reputation": min_reputation,
        "min_level": min_level,
        "min_days_active_30d": min_days_active_30d,
        "min_posts_30d": min_posts_30d,
        "requires_device": requires_device,
        "min_account_age_days": min_account_age_days,
        "exclude_suspended": exclude_suspended,
        "requalify_weekly": requalify_weekly,
    }
    locked = Program.objects.select_for_update().get(pk=program.pk)
    merged = {
        name: getattr(locked, name) if given[name] is KEEP else given[name]
        for name in PROGRAM_FIELDS
    }
    devices = list(devices) if devices is not None else list(locked.devices.all())
    _validate_program(merged, devices=devices, seats_taken=locked.seats_taken)
    for name, value in merged.items():
        setattr(locked, name, value)
    locked.updated_at = timezone.now()
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError as exc:
        raise ValidationError({"slug": [_("Another program already uses this slug.")]}) from exc
    locked.devices.set(devices)
    return locked


def _check_open(program: Program) -> None:
    if not program.is_open:
        raise ProgramStateError(_("“%(name)s” is not open.") % {"name": program.name})


def _expire_stale(*, program_id: int, user_ids: Iterable[int] | None = None) -> int:
    """Write EXPIRED on pending invitations past their expiry (they already read as expired)."""
    stale = ProgramMembership.objects.filter(
        program_id=program_id, state=State.INVITED, expires_at__lte=timezone.now()
    )
    if user_ids is not None:
        stale = stale.filter(user_id__in=list(user_ids))
    return stale.update(state=State.EXPIRED)


def _invitation_message(program: Program) -> dict:
    return {
        "title_key": "accounts.program_invited",
        "title_params": {"program": program.name},
        "target_title": program.name,
    }


@transaction.atomic
def invite(*, program: Program, user: User, actor: User | None) -> ProgramMembership:
    """Invite one user: a new code with an expiry, a notification (and email by their setting)."""
    _check_open(program)
    _expire_stale(program_id=program.pk, user_ids=[user.pk])
    refusal = program_invite_denied_reason(program, user)
    if refusal:
        raise ProgramStateError(refusal)
    now = timezone.now()
    try:
        with transaction.atomic():
            membership = ProgramMembership.objects.create(
                program=program,
                user=user,
                code=_new_code(),
                invited_by=actor,
                invited_at=now,
                expires_at=now + timedelta(days=_knob("PROGRAM_INVITATION_DAYS")),
            )
    except IntegrityError as exc:  # invited at this very moment by someone else
        raise ProgramStateError(
            _("%(user)s already has a pending invitation to “%(program)s”.")
            % {"user": user.username, "program": program.name}
        ) from exc
    notification_create(
        recipient=user,
        kind=NotificationKind.EARLY_ACCESS,
        target_url=reverse("accounts:program_invitation", kwargs={"code": membership.code}),
        **_invitation_message(program),
        actor=actor,
        excerpt=program.description[:300],
    )
    return membership


@transaction.atomic
def invite_candidates(
    *, program: Program, actor: User | None, user_ids: Iterable[int] | None = None
) -> int:
    """Invite the program's candidates at once ("invite all"), or the chosen ones among them.

    Set-based: one read of the invitable candidates' ids, one bulk INSERT of
    invitations, one fan-out of notifications. Skipped: anyone with a pending
    invitation or membership, in a cooling-off period, inactive, and (for
    "invite all") anyone who already declined this program. A concurrent
    invitation of the same user loses to the unique constraint and is skipped.
    Returns how many were invited.
    """
    _check_open(program)
    now = timezone.now()
    _expire_stale(program_id=program.pk)
    blocked = Q(state__in=LIVE_STATES) | Q(cooling_off_until__gt=now)
    if user_ids is None:
        blocked |= Q(state=State.DECLINED)
    candidates = ProgramCandidate.objects.filter(program=program, user__is_active=True).exclude(
        user_id__in=ProgramMembership.objects.filter(blocked, program=program).values("user_id")
    )
    if user_ids is not None:
        candidates = candidates.filter(user_id__in=list(user_ids))
    invitees = list(candidates.values_list("user_id", flat=True))
    if not invitees:
        return 0
    expires_at = now + timedelta(days=_knob("PROGRAM_INVITATION_DAYS"))
    ProgramMembership.objects.bulk_create(
        [
            ProgramMembership(
                program=program,
                user_id=user_id,
                code=_new_code(),
                invited_by=actor,
                invited_at=now,
                expires_at=expires_at,
            )
            for user_id in invitees
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    # Exactly the rows this call wrote: same program, moment and inviter.
    written = ProgramMembership.objects.filter(
        program=program, state=State.INVITED, invited_at=now, invited_by=actor
    )
    notification_fan_out(
        recipients=written.values("user_id"),
        kind=NotificationKind.EARLY_ACCESS,
        target_url=invitations_url(),
        **_invitation_message(program),
        actor=actor,
        excerpt=program.description[:300],
    )
    return written.count()


@transaction.atomic
def remove(
    *, membership: ProgramMembership, actor: User | None, reason: str = ""
) -> ProgramMembership:
    """Staff remove a member (or withdraw an invitation); the longer cooling-off starts."""
    if not _end(
        membership=membership,
        state=State.REMOVED,
        cooling_days=_knob("PROGRAM_COOLING_OFF_REMOVED_DAYS"),
        reason=reason,
    ):
        raise ProgramStateError(_("This person is neither a member nor invited any more."))
    membership.refresh_from_db()
    notification_create(
        recipient=membership.user,
        kind=NotificationKind.EARLY_ACCESS,
        target_url=invitations_url(),
        title_key="accounts.program_removed",
        title_params={"program": membership.program.name},
        target_title=membership.program.name,
        actor=actor,
        excerpt=reason,
    )
    return membership
