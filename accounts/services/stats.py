"""The daily-actives job: one DailyStats row per day, from accounts' own tables.

Everything is counted from DailyActivity (one row per member per day) and the
user table, reading one day of activity: WAU and MAU are sums over the window's
DailyVisitGaps (each day's visitors by days since their previous visit), so a
day costs one day's rows, not a distinct count over a month of them (10 million
rows at a million daily actives). Other apps add their own per-day figures (forum: per
section) by registering a part here; accounts never imports them.

Idempotent: the day's row is upserted and every part upserts its own rows, all
in one transaction, so a rerun gives the same rows and a run killed half-way
leaves nothing behind to confuse the next.
"""

from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import DailyStats, DailyVisitGaps
from accounts.selectors.stats import GAP_LOOKBACK_DAYS, daily_stats_figures, visit_gaps
from config.jobs import job_work_mem

STATS_FIELDS = [
    "dau",
    "wau",
    "mau",
    "stickiness",
    "engaged",
    "new_users",
    "new_threads",
    "new_posts",
    "likes",
    "computed_at",
]

_parts: dict[str, Callable[[date, date], int]] = {}


def register_daily_stats_part(name: str, compute: Callable[[date, date], int]) -> None:
    """Have compute(day, redo_from) run inside every daily-actives run (idempotent upserts
    only; roll-ups of days from redo_from on are recomputed, earlier ones kept)."""
    _parts[name] = compute


def visit_gaps_ensure(*, first: date, last: date, redo_from: date) -> dict[date, dict[int, int]]:
    """Each day's visit gaps from first to last: read where stored, computed (oldest
    first) where missing and from `redo_from` on; returns them by day."""
    stored = {
        row.day: {int(gap): members for gap, members in row.gaps.items()}
        for row in DailyVisitGaps.objects.filter(day__gte=first, day__lte=last, day__lt=redo_from)
    }
    now = timezone.now()
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        if day in stored:
            continue
        stored[day] = visit_gaps(day)
        DailyVisitGaps.objects.bulk_create(
            [DailyVisitGaps(day=day, gaps=stored[day], computed_at=now)],
            update_conflicts=True,
            unique_fields=["day"],
            update_fields=["gaps", "computed_at"],
        )
    return stored


@transaction.atomic
def daily_stats_compute(*, day: date, redo_from: date | None = None) -> DailyStats:
    """Compute (or recompute) `day`: the site-wide row and every registered part.

    The day's visit gaps are always recomputed, the window's earlier days' only when
    missing (a day's gaps are final once it is over) or from `redo_from` on.
    """
    job_work_mem()
    first = day - timedelta(days=GAP_LOOKBACK_DAYS)
    redo_from = min(redo_from or day, day)
    gaps = visit_gaps_ensure(first=first, last=day, redo_from=redo_from)
    figures = daily_stats_figures(day, gaps)
    DailyStats.objects.bulk_create(
        [DailyStats(day=day, computed_at=timezone.now(), **figures)],
        update_conflicts=True,
        unique_fields=["day"],
        update_fields=STATS_FIELDS,
    )
    for compute in _parts.values():
        compute(day, redo_from)
    return DailyStats.objects.get(day=day)


def daily_stats_backfill(*, first: date, last: date) -> int:
    """Recompute every day from first to last, one transaction per day; returns days done.

    The first day's whole window is recomputed, then each following day's own."""
    if last < first:
        raise ValueError("the range ends before it starts")
    days = (last - first).days + 1
    for offset in range(days):
        day = first + timedelta(days=offset)
        redo_from = first - timedelta(days=GAP_LOOKBACK_DAYS) if offset == 0 else day
        daily_stats_compute(day=day, redo_from=redo_from)
    return days
