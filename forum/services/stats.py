"""Forum's share of the daily-actives job: one SectionDailyStats row per section and day.

accounts owns the job but must not read forum's tables, so forum registers
section_daily_stats_compute with accounts.services (ForumConfig.ready) and the job
calls it inside its own transaction. Set-based: three grouped queries over one
day (and a 30-day window) of posts and likes, then one upsert of a row per
section; sections are a short list, never members.
"""

from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from config.days import day_bounds, day_start
from forum.models import Post, PostLike, Section, SectionDailyStats

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


def _posters_by_section(*, month_start, week_start, start, end) -> dict[int, dict]:
    """Members who posted in each section that day, in 7 and in 30 days, in one pass.

    COUNT(DISTINCT) three times over a month of posts sorts them three times;
    instead the inner query (built by the ORM) groups the month's posts once by
    (section, author) with the author's latest post time, a hash aggregate,
    and the outer query counts those pairs by how recent the latest post was.
    """
    pairs = (
        Post.objects.filter(created_at__gte=month_start, created_at__lt=end, author__isnull=False)
        .values(section=F("thread__board__section_id"), who=F("author_id"))
        .annotate(latest=Max("created_at"))
        .order_by()
    )
    inner, params = pairs.query.sql_with_params()
    adapt = connection.ops.adapt_datetimefield_value
    counts = (
        "SELECT section, COUNT(*),"
        " SUM(CASE WHEN latest >= %s THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN latest >= %s THEN 1 ELSE 0 END)"
    )
    # Only the ORM's own SQL is spliced in; every value is a parameter.
    sql = f"{counts} FROM ({inner}) AS pairs GROUP BY section"
    with connection.cursor() as cursor:
        cursor.execute(sql, [adapt(week_start), adapt(start), *params])
        return {
            section_id: {"posters_month": month, "posters_week": week or 0, "posters": day or 0}
            for section_id, month, week, day in cursor.fetchall()
        }


def section_daily_stats_compute(day: date) -> int:
    """Write (or rewrite) every section's row for `day`; returns how many."""
    start, end = day_bounds(day)
    month_start = day_start(day - timedelta(days=29))
    week_start = day_start(day - timedelta(days=6))
    section = "thread__board__section_id"
    posters = _posters_by_section(
        month_start=month_start, week_start=week_start, start=start, end=end
    )
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
    for section_id in Section.objects.values_list("pk", flat=True):
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
