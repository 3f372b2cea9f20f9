"""The core-user criteria and the activity count they are judged by (reads only)."""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from accounts.levels import level_by_key
from accounts.models import DailyActivity


@dataclass(frozen=True)
class CoreCriteria:
    level_key: str
    level_name: str
    reputation: int
    days_active: int
    window_days: int
    keep_ratio: float
    hold_days: int

    @property
    def keep_reputation(self) -> int:
        return math.ceil(self.reputation * self.keep_ratio)

    @property
    def keep_days_active(self) -> int:
        return math.ceil(self.days_active * self.keep_ratio)


def core_criteria() -> CoreCriteria:
    conf = settings.POPCORN["CORE_USERS"]
    level = level_by_key(conf["MIN_LEVEL"])
    return CoreCriteria(
        level_key=level.key,
        level_name=level.name,
        reputation=level.threshold,
        days_active=conf["DAYS_ACTIVE"],
        window_days=conf["WINDOW_DAYS"],
        keep_ratio=conf["KEEP_RATIO"],
        hold_days=conf["HOLD_DAYS"],
    )


def days_active_in_window(*, last: date, days: int):
    """Subquery: the member's visited days among the `days` ending `last` (0 when none)."""
    counted = (
        DailyActivity.objects.filter(
            user=OuterRef("pk"),
            day__gte=last - timedelta(days=days - 1),
            day__lte=last,
            visited=True,
        )
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
