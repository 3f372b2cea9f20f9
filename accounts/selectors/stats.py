"""A day's site-wide figures, counted from DailyActivity and the user table (reads only)."""

from datetime import date, timedelta

from django.db.models import Count, OuterRef, Q, Subquery, Sum

from accounts.models import DailyActivity, User
from config.days import day_bounds

# How far back a member's previous day is looked for: enough for a 30-day window.
GAP_LOOKBACK_DAYS = 29


def visit_gaps(day: date) -> dict[int, int]:
    """The day's visitors counted by days since their previous visit (0: none in the
    29 days before): one probe of the (user, day) index per visitor of that day only."""
    previous = (
        DailyActivity.objects.filter(
            user=OuterRef("user"),
            visited=True,
            day__lt=day,
            day__gte=day - timedelta(days=GAP_LOOKBACK_DAYS),
        )
        .order_by("-day")
        .values("day")[:1]
    )
    rows = (
        DailyActivity.objects.filter(day=day, visited=True)
        .annotate(previous=Subquery(previous))
        .values("previous")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(day - row["previous"]).days if row["previous"] else 0: row["n"] for row in rows}


def actives_in_window(gaps_by_day: dict[date, dict[int, int]], day: date, days: int) -> int:
    """Distinct actives of the `days` ending `day`, from each day's gaps: a member is
    counted on their first day in the window, the one whose previous day falls before it."""
    total = 0
    for back in range(days):
        # A gap longer than the days left to the window's start reaches before it.
        room = days - 1 - back
        for gap, members in gaps_by_day.get(day - timedelta(days=back), {}).items():
            if gap == 0 or gap > room:
                total += members
    return total


def daily_stats_figures(day: date, gaps_by_day: dict[date, dict[int, int]]) -> dict:
    """The day's site-wide figures, read only; WAU and MAU from the window's visit gaps
    (services.stats makes sure they are there)."""
    today = DailyActivity.objects.filter(day=day).aggregate(
        dau=Count("pk", filter=Q(visited=True)),
        engaged=Count("pk", filter=Q(posts__gt=0) | Q(likes_given__gt=0)),
        new_posts=Sum("posts", default=0),
        new_threads=Sum("threads", default=0),
        likes=Sum("likes_given", default=0),
    )
    start, end = day_bounds(day)
    mau = actives_in_window(gaps_by_day, day, 30)
    return {
        **today,
        "wau": actives_in_window(gaps_by_day, day, 7),
        "mau": mau,
        "stickiness": round(today["dau"] / mau, 4) if mau else 0.0,
        "new_users": User.objects.filter(date_joined__gte=start, date_joined__lt=end).count(),
    }
