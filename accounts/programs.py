"""Every write to early-access programs: create, invite, accept, decline, leave, remove,
and the jobs that flag candidates, expire invitations and re-qualify members.

Seats are a counter on the program, moved only by conditional UPDATEs in the
same transaction as the membership's state change, so no more members than
seats can ever accept, even at the same instant. One live invitation or
membership per (program, user) is a partial unique constraint, not a check.
Staff-side callers (moderation) wrap these with their audit rows.
"""

import secrets
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import levels
from .models import (
    LIVE_STATES,
    MembershipState,
    NotificationKind,
    Program,
    ProgramCandidate,
    ProgramMembership,
    User,
)
from .program_criteria import qualifying_users
from .services import notification_create, notification_fan_out

State = MembershipState

PROGRAM_FIELDS = (
    "name",
    "slug",
    "description",
    "seats",
    "starts_at",
    "ends_at",
    "status",
    "min_reputation",
    "min_level",
    "min_days_active_30d",
    "min_posts_30d",
    "requires_device",
    "min_account_age_days",
    "exclude_suspended",
    "requalify_weekly",
)


def _knob(name: str) -> int:
    return settings.POPCORN[name]


def _new_code() -> str:
    return secrets.token_urlsafe(16)[:22]


def invitations_url() -> str:
    return reverse("accounts:programs")


# Programs ---------------------------------------------------------------------


def _validate_program(fields: dict, *, devices, seats_taken: int = 0) -> None:
    errors: dict[str, list[str]] = {}
    if fields.get("seats", 0) < seats_taken:
        errors["seats"] = [
            _("%(n)d seats are already taken; the program needs at least that many.")
            % {"n": seats_taken}
        ]
    starts_at, ends_at = fields.get("starts_at"), fields.get("ends_at")
    if starts_at and ends_at and ends_at <= starts_at:
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
def program_create(*, created_by: User | None, devices: Iterable = (), **fields) -> Program:
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise TypeError(f"unknown program fields: {sorted(unknown)}")
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
def program_update(*, program: Program, devices: Iterable | None = None, **fields) -> Program:
    """Change a program; seats never drop below the seats already taken."""
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise TypeError(f"unknown program fields: {sorted(unknown)}")
    locked = Program.objects.select_for_update().get(pk=program.pk)
    merged = {name: fields.get(name, getattr(locked, name)) for name in PROGRAM_FIELDS}
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
        raise ValidationError(_("“%(name)s” is not open.") % {"name": program.name})


# Invitations ------------------------------------------------------------------


def _expire_stale(*, program_id: int, user_ids: Iterable[int] | None = None) -> int:
    """Write EXPIRED on pending invitations past their expiry (they already read as expired)."""
    stale = ProgramMembership.objects.filter(
        program_id=program_id, state=State.INVITED, expires_at__lte=timezone.now()
    )
    if user_ids is not None:
        stale = stale.filter(user_id__in=list(user_ids))
    return stale.update(state=State.EXPIRED)


def invite_refusal(program: Program, user: User) -> str | None:
    """Why this user cannot be invited to this program now, or None."""
    if not user.is_active:
        return _("%(user)s's account is disabled.") % {"user": user.username}
    now = timezone.now()
    rows = ProgramMembership.objects.filter(program=program, user=user)
    live = rows.filter(Q(state=State.ACCEPTED) | Q(state=State.INVITED, expires_at__gt=now)).first()
    if live is not None and live.state == State.ACCEPTED:
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
        why = _("left") if cooling.state == State.LEFT else _("was removed from")
        return _(
            "%(user)s %(why)s “%(program)s” recently and cannot be invited again before %(date)s."
        ) % {
            "user": user.username,
            "why": why,
            "program": program.name,
            "date": date_format(timezone.localtime(cooling.cooling_off_until), "DATETIME_FORMAT"),
        }
    return None


def _invitation_title(program: Program) -> str:
    return _("You are invited to the early-access program “%(program)s”") % {
        "program": program.name
    }


@transaction.atomic
def program_invite(*, program: Program, user: User, actor: User | None) -> ProgramMembership:
    """Invite one user: a new code with an expiry, a notification (and email by their setting)."""
    _check_open(program)
    _expire_stale(program_id=program.pk, user_ids=[user.pk])
    refusal = invite_refusal(program, user)
    if refusal:
        raise ValidationError(refusal)
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
        raise ValidationError(
            _("%(user)s already has a pending invitation to “%(program)s”.")
            % {"user": user.username, "program": program.name}
        ) from exc
    notification_create(
        recipient=user,
        kind=NotificationKind.EARLY_ACCESS,
        target_url=reverse("accounts:program_invitation", kwargs={"code": membership.code}),
        target_title=_invitation_title(program),
        actor=actor,
        excerpt=program.description[:300],
    )
    return membership


@transaction.atomic
def program_invite_candidates(
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
        target_title=_invitation_title(program),
        actor=actor,
        excerpt=program.description[:300],
    )
    return written.count()


def _membership_for(user: User, code: str) -> ProgramMembership:
    membership = (
        ProgramMembership.objects.select_related("program").filter(code=code, user=user).first()
    )
    if membership is None:
        raise ValidationError(_("There is no such invitation."))
    return membership


def _not_pending_message(membership: ProgramMembership) -> str:
    state = membership.effective_state
    if state == State.EXPIRED:
        return _("This invitation has expired.")
    if state == State.ACCEPTED:
        return _("You are already a member of this program.")
    return _("This invitation is no longer open (%(state)s).") % {
        "state": State(state).label.lower()
    }


@transaction.atomic
def program_accept(*, user: User, code: str) -> ProgramMembership:
    """Accept an invitation and take a seat, or nothing at all.

    The membership's state moves only from a pending, unexpired invitation,
    and the seat counter only while seats_taken < seats: two conditional
    UPDATEs in one transaction. Concurrent accepts queue on the program row
    and each re-checks the condition, so the last seat goes to exactly one.
    """
    membership = _membership_for(user, code)
    program = membership.program
    now = timezone.now()
    moved = ProgramMembership.objects.filter(
        pk=membership.pk, state=State.INVITED, expires_at__gt=now
    ).update(state=State.ACCEPTED, responded_at=now, warned_at=None)
    if not moved:
        raise ValidationError(_not_pending_message(membership))
    seated = (
        Program.objects.filter(pk=program.pk, status=Program.Status.OPEN)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .filter(seats_taken__lt=F("seats"))
        .update(seats_taken=F("seats_taken") + 1)
    )
    if not seated:
        # Raising rolls the state change back with it: the invitation stays pending.
        if not program.is_open:
            raise ValidationError(_("“%(name)s” is not open.") % {"name": program.name})
        raise ValidationError(
            _("All seats in “%(name)s” are taken. Your invitation stays open until it expires.")
            % {"name": program.name}
        )
    membership.refresh_from_db()
    return membership


@transaction.atomic
def program_decline(*, user: User, code: str) -> ProgramMembership:
    membership = _membership_for(user, code)
    now = timezone.now()
    moved = ProgramMembership.objects.filter(
        pk=membership.pk, state=State.INVITED, expires_at__gt=now
    ).update(state=State.DECLINED, responded_at=now)
    if not moved:
        raise ValidationError(_not_pending_message(membership))
    membership.refresh_from_db()
    return membership


def _free_seats(program_id: int, count: int) -> None:
    if count:
        Program.objects.filter(pk=program_id).update(
            seats_taken=Greatest(F("seats_taken") - count, 0)
        )


def _end(*, membership: ProgramMembership, state: str, cooling_days: int, reason: str = "") -> bool:
    """Move a pending or accepted row to LEFT/REMOVED, freeing its seat if it held one."""
    now = timezone.now()
    ending = {
        "state": state,
        "ended_at": now,
        "cooling_off_until": now + timedelta(days=cooling_days),
        "end_reason": reason[:500],
    }
    rows = ProgramMembership.objects.filter(pk=membership.pk)
    if rows.filter(state=State.ACCEPTED).update(**ending):
        _free_seats(membership.program_id, 1)
        return True
    if state == State.REMOVED:
        # Staff may also withdraw a pending invitation; no seat was held.
        return bool(rows.filter(state=State.INVITED).update(**ending))
    return False


@transaction.atomic
def program_leave(*, user: User, program: Program) -> ProgramMembership:
    """A member leaves by choice; the seat is freed and a shorter cooling-off starts."""
    membership = ProgramMembership.objects.filter(
        program=program, user=user, state=State.ACCEPTED
    ).first()
    if membership is None or not _end(
        membership=membership,
        state=State.LEFT,
        cooling_days=_knob("PROGRAM_COOLING_OFF_LEFT_DAYS"),
    ):
        raise ValidationError(_("You are not a member of this program."))
    membership.refresh_from_db()
    return membership


@transaction.atomic
def program_remove(
    *, membership: ProgramMembership, actor: User | None, reason: str = ""
) -> ProgramMembership:
    """Staff remove a member (or withdraw an invitation); the longer cooling-off starts."""
    if not _end(
        membership=membership,
        state=State.REMOVED,
        cooling_days=_knob("PROGRAM_COOLING_OFF_REMOVED_DAYS"),
        reason=reason,
    ):
        raise ValidationError(_("This person is neither a member nor invited any more."))
    membership.refresh_from_db()
    notification_create(
        recipient=membership.user,
        kind=NotificationKind.EARLY_ACCESS,
        target_url=invitations_url(),
        target_title=_("You were removed from the early-access program “%(program)s”")
        % {"program": membership.program.name},
        actor=actor,
        excerpt=reason,
    )
    return membership


# Jobs -------------------------------------------------------------------------


def expire_invitations() -> int:
    """Tidy pending invitations past their expiry into EXPIRED (they already read as such)."""
    return ProgramMembership.objects.filter(
        state=State.INVITED, expires_at__lte=timezone.now()
    ).update(state=State.EXPIRED)


def open_programs():
    now = timezone.now()
    return Program.objects.filter(status=Program.Status.OPEN).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=now)
    )


_CANDIDATE_COLUMNS = ("user_id", "days_active_30d", "posts_30d", "reputation", "score")


@transaction.atomic
def program_flag_candidates(*, program: Program, today: date | None = None) -> int:
    """Replace a program's candidates with who qualifies now; returns how many qualify.

    One INSERT … SELECT … ON CONFLICT DO UPDATE writes every qualifying user
    (the SELECT is the ORM's criteria query), stamping them with this run's
    time; one DELETE drops the rows that run did not stamp, i.e. users who no
    longer qualify. Readers see the old set or the new one, never a gap.
    Running it twice gives the same rows; first-flagged times are kept.
    Invitations and memberships are other rows, untouched.
    """
    now = timezone.now()
    select_sql, select_params = qualifying_users(program, today=today).query.sql_with_params()
    table = connection.ops.quote_name(ProgramCandidate._meta.db_table)
    columns = ", ".join(_CANDIDATE_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in (*_CANDIDATE_COLUMNS[1:], "refreshed_at"))
    stamp = connection.ops.adapt_datetimefield_value(now)
    # Only identifiers from the model and the ORM's own SQL are formatted in;
    # every value is a parameter. "WHERE true": SQLite needs a WHERE before
    # ON CONFLICT to parse an INSERT … SELECT.
    sql = (
        f"INSERT INTO {table} (program_id, {columns}, flagged_at, refreshed_at) "  # noqa: S608
        f"SELECT %s, q.*, %s, %s FROM ({select_sql}) q WHERE true "
        f"ON CONFLICT (program_id, user_id) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The 30-day aggregate groups every qualifying user in one hash;
            # enough memory keeps it off disk. LOCAL: this transaction only.
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, [program.pk, stamp, stamp, *select_params])
        qualifying = cursor.rowcount
    ProgramCandidate.objects.filter(program=program).exclude(refreshed_at=now).delete()
    Program.objects.filter(pk=program.pk).update(flagged_at=now)
    return qualifying


def flag_all_candidates(*, today: date | None = None) -> dict[int, int]:
    """The daily job: every open program's candidates, one program per transaction."""
    return {
        program.pk: program_flag_candidates(program=program, today=today)
        for program in open_programs()
    }


@transaction.atomic
def program_requalify_members(*, program: Program, today: date | None = None) -> dict[str, int]:
    """Weekly: warn members who no longer qualify; remove those still failing a week later.

    Set-based, one criteria query over the members, three UPDATEs and two
    fan-outs: members who qualify again lose
    their warning; warned members who still fail after the grace period are
    removed (seats freed, cooling-off started); the rest who fail are warned
    now. Rows are marked with this run's time so the fan-outs reach exactly
    them.
    """
    now = timezone.now()
    members = ProgramMembership.objects.filter(program=program, state=State.ACCEPTED)
    # One aggregate over the members' activity only; the ids (at most the seat
    # count) are then plain lists, which keeps the planner off a nested
    # re-aggregation per member when the membership table's statistics lag.
    qualifying = list(
        qualifying_users(program, today=today, among=members.values("user_id")).values_list(
            "pk", flat=True
        )
    )
    recovered = members.filter(warned_at__isnull=False, user_id__in=qualifying).update(
        warned_at=None
    )
    failing = members.exclude(user_id__in=qualifying)
    grace = now - timedelta(days=_knob("PROGRAM_REQUALIFY_GRACE_DAYS"))
    removed = failing.filter(warned_at__lte=grace).update(
        state=State.REMOVED,
        ended_at=now,
        cooling_off_until=now + timedelta(days=_knob("PROGRAM_COOLING_OFF_REMOVED_DAYS")),
        end_reason=_("No longer met the program's criteria after a warning."),
    )
    _free_seats(program.pk, removed)
    warned = failing.filter(warned_at__isnull=True).update(warned_at=now)
    if removed:
        notification_fan_out(
            recipients=ProgramMembership.objects.filter(
                program=program, state=State.REMOVED, ended_at=now
            ).values("user_id"),
            kind=NotificationKind.EARLY_ACCESS,
            target_url=invitations_url(),
            target_title=_("You were removed from “%(program)s”: you no longer meet its criteria")
            % {"program": program.name},
        )
    if warned:
        notification_fan_out(
            recipients=members.filter(warned_at=now).values("user_id"),
            kind=NotificationKind.EARLY_ACCESS,
            target_url=invitations_url(),
            target_title=_(
                "You no longer meet the criteria of “%(program)s”; "
                "if that is still so next week, your seat goes to someone else"
            )
            % {"program": program.name},
        )
    return {"recovered": recovered, "removed": removed, "warned": warned}


def requalify_all_members(*, today: date | None = None) -> dict[int, dict[str, int]]:
    return {
        program.pk: program_requalify_members(program=program, today=today)
        for program in open_programs().filter(requalify_weekly=True)
    }


# Reads used by other apps -----------------------------------------------------

_PROGRAMS_ATTR = "_accepted_program_ids"


def accepted_program_ids(user) -> frozenset[int]:
    """Programs this user is an accepted member of; one query, cached on the user object."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    ids = getattr(user, _PROGRAMS_ATTR, None)
    if ids is None:
        ids = frozenset(
            ProgramMembership.objects.filter(user=user, state=State.ACCEPTED).values_list(
                "program_id", flat=True
            )
        )
        setattr(user, _PROGRAMS_ATTR, ids)
    return ids


def accepted_programs_of(user):
    """Program ids this user is an accepted member of, as a subquery."""
    return ProgramMembership.objects.filter(user=user, state=State.ACCEPTED).values("program_id")


def accepted_members(program_id: int):
    """User ids of a program's accepted members, as a subquery."""
    return ProgramMembership.objects.filter(program_id=program_id, state=State.ACCEPTED).values(
        "user_id"
    )
