"""Early-access programs, the member's side and the jobs: accept, decline and leave an
invitation or a seat; flag candidates, expire invitations and re-qualify members.

Seats are a counter on the program, moved only by conditional UPDATEs in the
same transaction as the membership's state change, so no more members than
seats can ever accept, even at the same instant. One live invitation or
membership per (program, user) is a partial unique constraint, not a check.
The staff side (create, update, invite, remove) is in _programs_unchecked,
reached only through moderation's checked and audited verbs.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    MembershipState,
    NotificationKind,
    Program,
    ProgramCandidate,
    ProgramMembership,
    User,
)
from accounts.selectors.programs import open_programs
from accounts.selectors.programs_criteria import qualifying_users
from config.errors import Conflict

from .notifications import notification_fan_out

State = MembershipState


class ProgramStateError(ValidationError, Conflict):
    """The invitation, membership or program is not in a state that allows this
    (expired, answered already, no seat left, not open, not a member).

    A ValidationError for the pages (they show the message), a Conflict for the
    API (409), like forum's PostingLimitError is both for its 429.
    """

    def __init__(self, message: str):
        super().__init__(message, code="program_state")


def _knob(name: str) -> int:
    return settings.POPCORN[name]


def invitations_url() -> str:
    return reverse("accounts:programs")


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


def take_seat(program_id: int, now) -> bool:
    """One seat of an open programme, by a conditional UPDATE (call inside the transaction
    that makes the member): concurrent callers queue on the programme's row and each
    re-checks seats_taken < seats, so the last seat goes to exactly one of them."""
    return bool(
        Program.objects.filter(pk=program_id, status=Program.Status.OPEN)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .filter(seats_taken__lt=F("seats"))
        .update(seats_taken=F("seats_taken") + 1)
    )


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
        raise ProgramStateError(_not_pending_message(membership))
    if not take_seat(program.pk, now):
        # Raising rolls the state change back with it: the invitation stays pending.
        if not program.is_open:
            raise ProgramStateError(_("“%(name)s” is not open.") % {"name": program.name})
        raise ProgramStateError(
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
        raise ProgramStateError(_not_pending_message(membership))
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
        raise ProgramStateError(_("You are not a member of this program."))
    membership.refresh_from_db()
    return membership


# Jobs -------------------------------------------------------------------------


def expire_invitations() -> int:
    """Tidy pending invitations past their expiry into EXPIRED (they already read as such)."""
    return ProgramMembership.objects.filter(
        state=State.INVITED, expires_at__lte=timezone.now()
    ).update(state=State.EXPIRED)


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
            title_key="accounts.program_requalify_removed",
            title_params={"program": program.name},
            target_title=program.name,
        )
    if warned:
        notification_fan_out(
            recipients=members.filter(warned_at=now).values("user_id"),
            kind=NotificationKind.EARLY_ACCESS,
            target_url=invitations_url(),
            title_key="accounts.program_requalify_warned",
            title_params={"program": program.name},
            target_title=program.name,
        )
    return {"recovered": recovered, "removed": removed, "warned": warned}


def requalify_all_members(*, today: date | None = None) -> dict[int, dict[str, int]]:
    return {
        program.pk: program_requalify_members(program=program, today=today)
        for program in open_programs().filter(requalify_weekly=True)
    }
