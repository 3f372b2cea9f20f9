"""Hot scores: one set-based UPDATE over the recent threads, run by a periodic job.

The formula and its weights are POPCORN["HOT"] (config/settings/base.py). The job is
idempotent: at one `now`, running it twice writes the same scores.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, FloatField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, Ln, Power
from django.utils import timezone

from forum import caching
from forum.models import Post, Thread


class EpochSeconds(models.Func):
    """Seconds since 1970 of a datetime column, on PostgreSQL and SQLite."""

    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)")

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)"
        )


HOT_SCOPE = "hot"


def threads_rescore_hot(*, now: datetime | None = None) -> int:
    """Recompute hot_score and like_total of the threads started or active in the window;
    threads that left it go back to 0. Returns the threads rescored."""
    hot = settings.POPCORN["HOT"]
    now = now or timezone.now()
    since = now - timedelta(days=hot["WINDOW_DAYS"])
    likes = Coalesce(
        Subquery(
            Post.objects.filter(thread=OuterRef("pk"), is_hidden=False)
            .order_by()
            .values("thread")
            .annotate(total=Sum("like_count"))
            .values("total")[:1]
        ),
        0,
    )
    age_hours = (Value(now.timestamp()) - EpochSeconds("created_at")) / Value(3600.0)
    # ln(1 + views): SQLite has no log1p, and no view still scores above nothing.
    weight = (
        Value(float(hot["BASE"]))
        + Cast(F("reply_count"), FloatField()) * Value(float(hot["REPLY_WEIGHT"]))
        + Cast(F("like_total"), FloatField()) * Value(float(hot["LIKE_WEIGHT"]))
        + Cast(F("vote_count"), FloatField()) * Value(float(hot["VOTE_WEIGHT"]))
        + Ln(Cast(F("view_count"), FloatField()) + Value(1.0))
    )
    score = weight / Power(
        age_hours + Value(2.0), Value(float(hot["GRAVITY"])), output_field=FloatField()
    )
    recent = Thread.objects.filter(last_posted_at__gte=since)
    with transaction.atomic():
        # Two statements: the score reads the like totals the first one wrote.
        count = recent.update(like_total=likes)
        recent.update(hot_score=score)
        Thread.objects.filter(last_posted_at__lt=since).exclude(hot_score=0).update(hot_score=0)
        caching.bump_on_commit(HOT_SCOPE)
    return count
