"""Reads for programme applications: the quiz drawn for a member and day, one member's
criteria with what passed and failed, the week's bounds and a member's progress.

Weekly tasks are counted where their content lives (forum): it registers a counter with
`register_task_counter`, as it registers its daily-stats part; accounts never imports it.
"""

import contextlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.levels import level_by_key
from accounts.models import (
    ApplicationState,
    DailyActivity,
    MembershipState,
    Program,
    ProgramApplication,
    ProgramApplyRules,
    ProgramMembership,
    ProgramQuizItem,
    User,
)

from .programs_criteria import WINDOW_DAYS, min_reputation, window

# Counters of weekly tasks: key -> counter(program_id, start, end) giving a queryset of
# rows (user_id, n) for that programme's board between the two moments.
_task_counters: dict[str, Callable[[int, datetime, datetime], QuerySet]] = {}

BUG_REPORTS_WITH_LOG = "bug_reports_with_log"


def register_task_counter(
    name: str, counter: Callable[[int, datetime, datetime], QuerySet]
) -> None:
    _task_counters[name] = counter


def task_counts(
    program_id: int, start: datetime, end: datetime, *, user_ids=None
) -> QuerySet | None:
    """Rows (user_id, n) of bug reports with a log; None when no counter is registered."""
    counter = _task_counters.get(BUG_REPORTS_WITH_LOG)
    if counter is None:
        return None
    rows = counter(program_id, start, end)
    if user_ids is not None:
        rows = rows.filter(user_id__in=user_ids)
    return rows


def apply_rules(program: Program) -> ProgramApplyRules | None:
    try:
        return program.apply_rules
    except ProgramApplyRules.DoesNotExist:
        return None


def programs_open_for_applications() -> QuerySet:
    now = timezone.now()
    return (
        Program.objects.filter(
            status=Program.Status.OPEN,
            apply_rules__accepting_applications=True,
            starts_at__lte=now,
        )
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .select_related("apply_rules")
    )


# The quiz -----------------------------------------------------------------------------


def quiz_draw(program: Program, user: User, day: date, size: int) -> list[ProgramQuizItem]:
    """`size` questions of the bank for this member on this day: the same draw every time
    that day (seeded by programme, member and day), another the next."""
    bank = list(ProgramQuizItem.objects.filter(program=program).order_by("pk"))
    seed = f"{program.pk}:{user.pk}:{day.isoformat()}"
    return random.Random(seed).sample(bank, min(size, len(bank)))


# Criteria -----------------------------------------------------------------------------


def criteria_report(program: Program, user: User, *, today: date | None = None) -> list[dict]:
    """Each of the programme's criteria for one member: need, have, passed (two queries)."""
    today = today or timezone.localdate()
    now = timezone.now()
    first, last = window(today)
    activity = DailyActivity.objects.filter(user=user, day__gte=first, day__lte=last).aggregate(
        days=Count("pk", filter=Q(visited=True)), posts=Sum("posts")
    )
    rows = []

    def add(key, label, need, have, passed):
        rows.append({"key": key, "label": str(label), "need": need, "have": have, "passed": passed})

    floor = min_reputation(program)
    if floor:
        label = _("reputation")
        if program.min_level:
            with contextlib.suppress(KeyError):
                label = _("level %(level)s") % {"level": level_by_key(program.min_level).name}
        add("reputation", label, floor, user.reputation, user.reputation >= floor)
    if program.min_account_age_days:
        age = (now - user.date_joined).days
        add(
            "account_age",
            _("days since joining"),
            program.min_account_age_days,
            age,
            age >= program.min_account_age_days,
        )
    if program.min_days_active_30d:
        add(
            "days_active",
            _("days active in the last %(n)d") % {"n": WINDOW_DAYS},
            program.min_days_active_30d,
            activity["days"],
            activity["days"] >= program.min_days_active_30d,
        )
    if program.min_posts_30d:
        posts = activity["posts"] or 0
        add(
            "posts",
            _("posts in the last %(n)d days") % {"n": WINDOW_DAYS},
            program.min_posts_30d,
            posts,
            posts >= program.min_posts_30d,
        )
    if program.requires_device:
        owns = user.devices.filter(pk__in=program.devices.values("pk")).exists()
        add("device", _("owns one of the programme's devices"), 1, int(owns), owns)
    if program.exclude_suspended:
        suspended = bool(user.suspended_until and user.suspended_until > now)
        add("not_suspended", _("not suspended"), 0, int(suspended), not suspended)
    return rows


# Weeks and progress ------------------------------------------------------------------


def week_start(day: date) -> date:
    """The Monday of the week holding `day` (site time zone)."""
    return day - timedelta(days=day.weekday())


def week_bounds(start: date) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00, in the site's time zone."""
    zone = timezone.get_current_timezone()
    begin = datetime.combine(start, time.min, tzinfo=zone)
    return begin, begin + timedelta(days=7)


@dataclass
class Progress:
    membership: ProgramMembership
    rules: ProgramApplyRules | None
    week_start: date
    deadline: datetime
    tasks: list[dict]
    score: int
    missed_weeks: int
    warned_at: datetime | None
    removal_after: int
    history: list
    weeks: list


def member_progress(membership: ProgramMembership, *, history_rows: int = 20) -> Progress:
    """A member's own page: this week's tasks against each criterion, the deadline, warnings,
    score and its history (a constant number of queries)."""
    program = membership.program
    rules = apply_rules(program)
    start = week_start(timezone.localdate())
    begin, end = week_bounds(start)
    tasks = []
    if rules is not None and rules.weekly_bug_reports_with_log:
        counts = task_counts(program.pk, begin, end, user_ids=[membership.user_id])
        done = 0
        if counts is not None:
            rows = list(counts[:1])
            done = rows[0]["n"] if rows else 0
        tasks.append(
            {
                "key": BUG_REPORTS_WITH_LOG,
                "label": _("bug reports with a log file in the programme's board"),
                "need": rules.weekly_bug_reports_with_log,
                "have": done,
                "passed": done >= rules.weekly_bug_reports_with_log,
            }
        )
    standing = getattr(membership, "standing", None)
    return Progress(
        membership=membership,
        rules=rules,
        week_start=start,
        deadline=end,
        tasks=tasks,
        score=standing.score if standing else 0,
        missed_weeks=standing.missed_weeks if standing else 0,
        warned_at=standing.warned_at if standing else None,
        removal_after=rules.weekly_missed_limit if rules else 0,
        history=list(membership.score_entries.all()[:history_rows]),
        weeks=list(membership.weeks.all()[:8]),
    )


def my_membership(user: User, program: Program) -> ProgramMembership | None:
    return (
        ProgramMembership.objects.select_related("program", "standing")
        .filter(program=program, user=user, state=MembershipState.ACCEPTED)
        .first()
    )


def applications_of(user: User) -> QuerySet:
    return ProgramApplication.objects.filter(user=user).select_related("program")


def program_applications(program: Program, state: str = "") -> QuerySet:
    rows = ProgramApplication.objects.filter(program=program).select_related("user", "decided_by")
    if state:
        rows = rows.filter(state=state)
    return rows


def pending_application(user: User, program: Program) -> ProgramApplication | None:
    return ProgramApplication.objects.filter(
        program=program, user=user, state=ApplicationState.PENDING
    ).first()
