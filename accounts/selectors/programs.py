"""Reads of early-access programs with fixed query counts, for staff and member pages,
and the membership questions other apps ask (which programs a member is in)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.models import MembershipState, Program, ProgramCandidate, ProgramMembership

from . import programs_criteria

State = MembershipState

# The program page's tabs, in order; "candidates" comes from the flagging job.
TABS = ("candidates", *State.values)


def _state_filter(state: str, now) -> Q:
    """Rows whose state reads as `state` now: a pending invitation past expiry is expired."""
    if state == State.INVITED:
        return Q(state=State.INVITED, expires_at__gt=now)
    if state == State.EXPIRED:
        return Q(state=State.EXPIRED) | Q(state=State.INVITED, expires_at__lte=now)
    return Q(state=state)


def programs_with_counts():
    """Every program with its candidate, pending and member counts (one query)."""
    now = timezone.now()
    candidates = (
        ProgramCandidate.objects.filter(program=OuterRef("pk"))
        .order_by()
        .values("program")
        .annotate(n=Count("pk"))
        .values("n")
    )
    pending = (
        ProgramMembership.objects.filter(_state_filter(State.INVITED, now), program=OuterRef("pk"))
        .order_by()
        .values("program")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Program.objects.annotate(
        candidate_count=Subquery(candidates), pending_count=Subquery(pending)
    ).order_by("-starts_at", "-id")


def program_counts(program: Program) -> dict[str, int]:
    """How many rows read as each state now, plus candidates: two queries."""
    now = timezone.now()
    counts = ProgramMembership.objects.filter(program=program).aggregate(
        **{state: Count("pk", filter=_state_filter(state, now)) for state in State.values}
    )
    counts["candidates"] = ProgramCandidate.objects.filter(program=program).count()
    return counts


def _page_size() -> int:
    return settings.POPCORN["PROGRAM_ROWS_PER_PAGE"]


def candidates_of(program: Program):
    """A program's candidates, best score first, with their user and the state of
    their latest invitation (subqueries: one query however many rows); pass the
    rows read to describe_candidates."""
    latest = ProgramMembership.objects.filter(program=program, user=OuterRef("user_id")).order_by(
        "-invited_at", "-id"
    )
    return (
        ProgramCandidate.objects.filter(program=program)
        .select_related("user")
        .annotate(
            invitation_state=Subquery(latest.values("state")[:1]),
            invitation_expires_at=Subquery(latest.values("expires_at")[:1]),
            cooling_off_until=Subquery(latest.values("cooling_off_until")[:1]),
        )
        .order_by("-score", "user_id")
    )


def candidate_page(program: Program, *, page: int):
    """One page of candidates_of, described: a COUNT and one page query."""
    result = Paginator(candidates_of(program), _page_size()).get_page(page)
    result.object_list = describe_candidates(program, list(result.object_list))
    return result


def describe_candidates(program: Program, candidates: list) -> list:
    """Add to rows of candidates_of why each qualifies (from the stored numbers), their
    invitation's state as it reads now, and whether they may be invited (no query)."""
    now = timezone.now()
    for candidate in candidates:
        candidate.reasons = programs_criteria.reasons(
            program,
            days_active=candidate.days_active_30d,
            posts=candidate.posts_30d,
            reputation=candidate.reputation,
            date_joined=candidate.user.date_joined,
        )
        state = candidate.invitation_state
        if state == State.INVITED and candidate.invitation_expires_at <= now:
            state = State.EXPIRED
        candidate.invitation_state = state
        candidate.invitation_label = State(state).label if state else ""
        candidate.cooling = bool(candidate.cooling_off_until and candidate.cooling_off_until > now)
        candidate.invitable = not candidate.cooling and state not in (
            State.INVITED,
            State.ACCEPTED,
        )
    return candidates


def memberships_in_state(program: Program, *, state: str):
    """A program's rows that read as `state` now, newest first, with users joined."""
    return (
        ProgramMembership.objects.filter(_state_filter(state, timezone.now()), program=program)
        .select_related("user", "invited_by")
        .order_by("-invited_at", "-id")
    )


def membership_page(program: Program, *, state: str, page: int):
    """One tab of the program page: a COUNT and one page query with users joined."""
    return Paginator(memberships_in_state(program, state=state), _page_size()).get_page(page)


def memberships_of(user, *, state: str = ""):
    """A member's invitations and memberships, newest first, with their programs and
    inviters joined; `state` keeps the rows that read as that state now."""
    rows = ProgramMembership.objects.filter(user=user)
    if state:
        rows = rows.filter(_state_filter(state, timezone.now()))
    return rows.select_related("program", "invited_by").order_by("-invited_at", "-id")


def my_programs(user):
    """A member's invitations and memberships, newest first, with their programs (one query)."""
    return list(memberships_of(user)[:200])


def cooling_off_of(user):
    """A member's cooling-off periods still running (after leaving or being removed):
    no new invitation to that program before `cooling_off_until`. Soonest end first."""
    return (
        ProgramMembership.objects.filter(user=user, cooling_off_until__gt=timezone.now())
        .select_related("program")
        .order_by("cooling_off_until", "id")
    )


def programs_seen_by(user):
    """The programs a member may look at: those they were ever invited to (staff: all)."""
    programs = Program.objects.all()
    if not user.is_staff:
        programs = programs.filter(
            pk__in=ProgramMembership.objects.filter(user=user).values("program_id")
        )
    return programs.order_by("-starts_at", "-id")


def open_programs():
    now = timezone.now()
    return Program.objects.filter(status=Program.Status.OPEN).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=now)
    )


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
