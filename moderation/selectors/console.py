"""Reads for the staff console: the dashboard's figures and the member list.

Each function owns its queries, so the pages' query counts are fixed (pinned
in tests/moderation/test_console.py) whatever the number of rows shown.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db.models import (
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.levels import threshold_of
from accounts.models import (
    CoreFlagChange,
    DailyActivity,
    DailyStats,
    Device,
    MembershipState,
    ProgramMembership,
    User,
)
from accounts.selectors import days_active_in_window
from config.days import day_start
from forum.models import SectionDailyStats

WINDOW_DAYS = 30
NEVER_SEEN = datetime(2000, 1, 1, tzinfo=UTC)


# Dashboard -------------------------------------------------------------------


@dataclass
class Dashboard:
    today: date
    live_actives: int
    yesterday: DailyStats | None
    sections: list[SectionDailyStats]


def dashboard(today: date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    yesterday = today - timedelta(days=1)
    return Dashboard(
        today=today,
        live_actives=DailyActivity.objects.filter(day=today, visited=True).count(),
        yesterday=DailyStats.objects.filter(day=yesterday).first(),
        sections=list(
            SectionDailyStats.objects.filter(day=yesterday)
            .select_related("section")
            .order_by("section__position", "section_id")
        ),
    )


def daily_stats_between(first: date, last: date) -> QuerySet:
    """The site's daily figures (DAU, WAU, MAU, …) for first..last, oldest first."""
    return DailyStats.objects.filter(day__gte=first, day__lte=last).order_by("day")


def chart_rows(first: date, last: date) -> list[dict]:
    return list(daily_stats_between(first, last).values("day", "dau", "new_posts"))


@dataclass
class Series:
    label: str
    css: str
    points: str  # SVG polyline points
    peak: int


@dataclass
class Chart:
    width: int
    height: int
    pad: int
    series: list[Series]
    ticks: list[tuple[float, str]]  # (x, label)
    empty: bool


def line_chart(rows: list[dict], first: date, last: date, *, width=720, height=220, pad=36):
    """A server-rendered SVG line chart of DAU and posts per day (no JS, no CDN).

    Each series is scaled to its own peak, labelled on the legend, so posts stay
    readable next to a DAU ten times larger.
    """
    span = max(1, (last - first).days)
    inner_w, inner_h = width - 2 * pad, height - 2 * pad

    def x(day: date) -> float:
        return round(pad + inner_w * (day - first).days / span, 1)

    series = []
    for key, label, css in (("dau", _("DAU"), "dau"), ("new_posts", _("Posts"), "posts")):
        peak = max((row[key] for row in rows), default=0)
        scale = inner_h / peak if peak else 0
        points = " ".join(
            f"{x(row['day'])},{round(pad + inner_h - row[key] * scale, 1)}" for row in rows
        )
        series.append(Series(label=label, css=css, points=points, peak=peak))
    step = max(1, span // 6)
    ticks = [
        (x(first + timedelta(days=d)), (first + timedelta(days=d)).strftime("%m-%d"))
        for d in range(0, span + 1, step)
    ]
    return Chart(width, height, pad, series, ticks, empty=not rows)


# Members ---------------------------------------------------------------------


def _window_sum(field: str, first: date):
    rows = DailyActivity.objects.filter(user=OuterRef("pk"), day__gte=first).order_by()
    aggregate = rows.values("user").annotate(n=Sum(field))
    return Coalesce(Subquery(aggregate.values("n"), output_field=IntegerField()), 0)


def members_annotated(today: date | None = None) -> QuerySet:
    """Members with their last-30-days figures, from accounts' daily activity rows."""
    today = today or timezone.localdate()
    first = today - timedelta(days=WINDOW_DAYS - 1)
    return User.objects.annotate(
        # Days visited: the same count the core flag uses.
        days_active_30=days_active_in_window(last=today, days=WINDOW_DAYS),
        posts_30=_window_sum("posts", first),
        likes_received_30=_window_sum("likes_received", first),
        # Never seen sorts as the oldest, on every database (PostgreSQL puts NULLs first
        # when descending), and the API's cursor needs a value to resume from.
        last_seen_sort=Coalesce("last_seen_at", Value(NEVER_SEEN)),
    )


def core_flag_history(member) -> QuerySet:
    """Changes of a member's core flag and its lock, newest first."""
    return CoreFlagChange.objects.filter(user=member).order_by("-created_at", "-id")


def _level_at_least(rows, key):
    return rows.filter(reputation__gte=threshold_of(key))


def _in_program(rows, program):
    members = ProgramMembership.objects.filter(
        user=OuterRef("pk"), program=program, state=MembershipState.ACCEPTED
    )
    return rows.filter(Exists(members))


# Field of CoreUserFilterForm -> how it narrows the list: a form field and a line here.
MEMBER_FILTERS = {
    "level": _level_at_least,
    "reputation_min": lambda rows, v: rows.filter(reputation__gte=v),
    "reputation_max": lambda rows, v: rows.filter(reputation__lte=v),
    "days_active_min": lambda rows, v: rows.filter(days_active_30__gte=v),
    "posts_min": lambda rows, v: rows.filter(posts_30__gte=v),
    "device": lambda rows, v: rows.filter(devices=v),
    # Datetime bounds, not __date, so the date_joined index is used.
    "joined_after": lambda rows, v: rows.filter(date_joined__gte=day_start(v)),
    "joined_before": lambda rows, v: rows.filter(date_joined__lt=day_start(v + timedelta(days=1))),
    "core": lambda rows, v: rows.filter(is_core=(v == "yes")),
    "program": _in_program,
}

SORTS = {
    "reputation": "reputation",
    "days_active": "days_active_30",
    "posts": "posts_30",
    "likes": "likes_received_30",
    "joined": "date_joined",
    "last_seen": "last_seen_sort",
    "username": "username",
}


def members_ordering(sort: str) -> tuple[str, str]:
    """The ORDER BY of a sort key (SORTS, "-" for descending): its column, then pk, which
    breaks ties so pages never repeat or skip a member."""
    descending = sort.startswith("-")
    column = SORTS.get(sort.lstrip("-"), "reputation")
    if descending:
        return f"-{column}", "-pk"
    return column, "pk"


def members_filtered(filters: dict, *, sort: str = "-reputation") -> QuerySet:
    rows = members_annotated()
    for field, narrow in MEMBER_FILTERS.items():
        value = filters.get(field)
        if value not in (None, ""):
            rows = narrow(rows, value)
    return rows.order_by(*members_ordering(sort)).prefetch_related(
        Prefetch("devices", queryset=Device.objects.only("pk", "codename", "brand", "model")),
        # The early-access programs each member is in, for the list and the CSV.
        Prefetch(
            "program_memberships",
            queryset=ProgramMembership.objects.filter(state=MembershipState.ACCEPTED)
            .select_related("program")
            .only("user_id", "program__slug", "program__name")
            .order_by("program__slug"),
            to_attr="programs_joined",
        ),
    )
