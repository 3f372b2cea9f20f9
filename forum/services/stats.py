"""Forum's share of the daily-actives job: one SectionDailyStats row per section and day.

accounts owns the job but must not read forum's tables, so forum registers
section_daily_stats_compute with accounts.services (ForumConfig.ready) and the job
calls it inside its own transaction. Set-based, one day at a time: the day's
(section, author) pairs become SectionPoster rows, counted by days since each
author last posted in the section (SectionPosterGaps), so the 7- and 30-day
posters are sums over the window's gap rows, not distinct counts over a month
of posts; then grouped queries over the day's posts and likes and one upsert
of a row per section. Sections are a short list, never members.
"""

from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.selectors import GAP_LOOKBACK_DAYS, actives_in_window
from config.days import day_bounds
from forum.models import (
    Post,
    PostLike,
    Section,
    SectionDailyStats,
    SectionPoster,
    SectionPosterGaps,
)

FIELDS = [
    "posters",
    "posters_week",
    "posters_month",
    "stickiness",
    "likers",
    "new_threads",
    "new_posts",
    "likes",
    "computed_at",
]


def _by_section(queryset, section_path: str, **aggregates) -> dict[int, dict]:
    rows = queryset.values(section_id=F(section_path)).annotate(**aggregates).order_by()
    return {row.pop("section_id"): row for row in rows}


def _section_posters_write(day: date) -> None:
    """Replace the day's SectionPoster rows: one INSERT ... SELECT DISTINCT of its posts'
    (section, author) pairs, the SELECT built by the ORM."""
    start, end = day_bounds(day)
    SectionPoster.objects.filter(day=day).delete()
    pairs = (
        Post.objects.filter(created_at__gte=start, created_at__lt=end, author__isnull=False)
        .values_list("thread__board__section_id", "author_id")
        # In the unique index's order: its pages fill one after another.
        .order_by("thread__board__section_id", "author_id")
        .distinct()
    )
    select, params = pairs.query.sql_with_params()
    qn = connection.ops.quote_name
    meta = SectionPoster._meta
    columns = ", ".join(qn(meta.get_field(name).column) for name in ("day", "section", "user"))
    with connection.cursor() as cursor:
        # Only the ORM's own SQL and the model's names are spliced in; values are parameters.
        cursor.execute(
            f"INSERT INTO {qn(meta.db_table)} ({columns}) SELECT %s, pairs.* FROM ({select}) pairs",  # noqa: S608
            [connection.ops.adapt_datefield_value(day), *params],
        )


def _section_gaps(day: date) -> dict[int, dict[int, int]]:
    """Each section's posters of `day` by days since they last posted there (0: not in
    the 29 days before): one probe of the (section, user, day) index per poster."""
    previous = (
        SectionPoster.objects.filter(
            section=OuterRef("section"),
            user=OuterRef("user"),
            day__lt=day,
            day__gte=day - timedelta(days=GAP_LOOKBACK_DAYS),
        )
        .order_by("-day")
        .values("day")[:1]
    )
    rows = (
        SectionPoster.objects.filter(day=day)
        .annotate(previous=Subquery(previous))
        .values("section", "previous")
        .annotate(n=Count("pk"))
        .order_by()
    )
    gaps: dict[int, dict[int, int]] = {}
    for row in rows:
        gap = (day - row["previous"]).days if row["previous"] else 0
        gaps.setdefault(row["section"], {})[gap] = row["n"]
    return gaps


def section_gaps_ensure(
    *, first: date, last: date, redo_from: date, sections: list[int]
) -> dict[int, dict[date, dict[int, int]]]:
    """Each section's poster gaps by day from first to last: read where stored, computed
    (oldest first, with the day's SectionPoster rows) where missing and from redo_from on."""
    stored: dict[int, dict[date, dict[int, int]]] = {pk: {} for pk in sections}
    done = set()
    for row in SectionPosterGaps.objects.filter(
        day__gte=first, day__lte=last, day__lt=redo_from
    ).values_list("day", "section_id", "gaps"):
        day, section_id, gaps = row
        done.add(day)
        stored.setdefault(section_id, {})[day] = {int(g): n for g, n in gaps.items()}
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        if day in done:
            continue
        _section_posters_write(day)
        gaps = _section_gaps(day)
        # A row for every section, posters or not: it also says the day is done.
        SectionPosterGaps.objects.bulk_create(
            [SectionPosterGaps(day=day, section_id=pk, gaps=gaps.get(pk, {})) for pk in sections],
            update_conflicts=True,
            unique_fields=["day", "section"],
            update_fields=["gaps"],
            batch_size=500,
        )
        for pk in sections:
            stored.setdefault(pk, {})[day] = gaps.get(pk, {})
    return stored


def section_daily_stats_compute(day: date, redo_from: date | None = None) -> int:
    """Write (or rewrite) every section's row for `day`; returns how many."""
    start, end = day_bounds(day)
    section = "thread__board__section_id"
    sections = list(Section.objects.values_list("pk", flat=True))
    gaps = section_gaps_ensure(
        first=day - timedelta(days=GAP_LOOKBACK_DAYS),
        last=day,
        redo_from=min(redo_from or day, day),
        sections=sections,
    )
    # Members kept for a lookback from any recomputed day of the last month.
    SectionPoster.objects.filter(day__lt=day - timedelta(days=2 * GAP_LOOKBACK_DAYS + 2)).delete()
    posters = {
        pk: {
            "posters": actives_in_window(by_day, day, 1),
            "posters_week": actives_in_window(by_day, day, 7),
            "posters_month": actives_in_window(by_day, day, 30),
        }
        for pk, by_day in gaps.items()
    }
    posts = _by_section(
        Post.objects.filter(created_at__gte=start, created_at__lt=end),
        section,
        new_posts=Count("pk"),
        # A thread is new the day its opening post was written.
        new_threads=Count("pk", filter=Q(floor=1)),
    )
    likes = _by_section(
        PostLike.objects.filter(created_at__gte=start, created_at__lt=end),
        f"post__{section}",
        likes=Count("pk"),
        likers=Count("user", distinct=True),
    )
    now = timezone.now()
    rows = []
    for section_id in sections:
        figures = {
            **posters.get(section_id, {}),
            **posts.get(section_id, {}),
            **likes.get(section_id, {}),
        }
        month = figures.get("posters_month", 0)
        rows.append(
            SectionDailyStats(
                day=day,
                section_id=section_id,
                posters=figures.get("posters", 0),
                posters_week=figures.get("posters_week", 0),
                posters_month=month,
                stickiness=figures.get("posters", 0) / month if month else 0.0,
                likers=figures.get("likers", 0),
                new_threads=figures.get("new_threads", 0),
                new_posts=figures.get("new_posts", 0),
                likes=figures.get("likes", 0),
                computed_at=now,
            )
        )
    SectionDailyStats.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["day", "section"],
        update_fields=FIELDS,
        batch_size=500,
    )
    return len(rows)
