"""The daily-actives job: one DailyStats row per day, from accounts' own tables.

Everything is counted from DailyActivity (one row per member per day) and the
user table, with a handful of aggregate queries, so it is the same work for
10 members or 10 million. Other apps add their own per-day figures (forum: per
section) by registering a part here; accounts never imports them.

Idempotent: the day's row is upserted and every part upserts its own rows, all
in one transaction, so a rerun gives the same rows and a run killed half-way
leaves nothing behind to confuse the next.
"""

from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import DailyStats
from accounts.selectors.stats import daily_stats_figures
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

_parts: dict[str, Callable[[date], int]] = {}


def register_daily_stats_part(name: str, compute: Callable[[date], int]) -> None:
    """Have compute(day) run inside every daily-actives run (idempotent upserts only)."""
    _parts[name] = compute


@transaction.atomic
def daily_stats_compute(*, day: date) -> DailyStats:
    """Compute (or recompute) `day`: the site-wide row and every registered part."""
    job_work_mem()
    figures = daily_stats_figures(day)
    DailyStats.objects.bulk_create(
        [DailyStats(day=day, computed_at=timezone.now(), **figures)],
        update_conflicts=True,
        unique_fields=["day"],
        update_fields=STATS_FIELDS,
    )
    for compute in _parts.values():
        compute(day)
    return DailyStats.objects.get(day=day)


def daily_stats_backfill(*, first: date, last: date) -> int:
    """Recompute every day from first to last, one transaction per day; returns days done."""
    if last < first:
        raise ValueError("the range ends before it starts")
    days = (last - first).days + 1
    for offset in range(days):
        daily_stats_compute(day=first + timedelta(days=offset))
    return days
