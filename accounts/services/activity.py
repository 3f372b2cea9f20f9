"""Per-member daily activity (the visit once a day, posts, threads and likes), and the
post and thread counts on the member's row.

Design. Everything the daily jobs count is one DailyActivity row per member per
day (site time zone), so accounts' jobs read only accounts' tables:

- A visit is recorded at most once per member per day. A cache key remembers
  "seen today", so the second and later requests of a day cost no query at all.
  On a cache miss the conditional UPDATE on the user row is the real guard: it
  bumps last_seen_at and days_visited only while last_seen_at is before today,
  so of two racing first requests exactly one matches (the row lock serialises
  them, and READ COMMITTED re-checks the WHERE). Only that one upserts the
  day's row with visited=True (insert, or mark visited a row that a like
  received earlier created). A down cache just means every request asks the
  database that cheap UPDATE, which matches nothing after the first; a cache or
  database error never reaches the page.
- Posts, threads and likes are counted from forum's write path through
  activity_count(), in the caller's transaction: an UPDATE with F() increments
  of today's row, and an INSERT (in a savepoint) when there is none yet; two
  racing inserts meet in the unique (user, day) constraint and the loser
  updates instead. Nothing is read and written back in Python.
"""

import logging
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from accounts.models import DailyActivity, User
from config.days import day_start

from .invitations import invitee_record_post

logger = logging.getLogger(__name__)


def _seen_key(user_id: int, day: date) -> str:
    return f"activity:seen:{user_id}:{day.isoformat()}"


def _seconds_left_today(now: datetime) -> int:
    tomorrow = day_start(timezone.localdate(now) + timedelta(days=1))
    return max(60, int((tomorrow - now).total_seconds()) + 60)


def visit_record(*, user_id: int, now: datetime | None = None) -> bool:
    """Record that the member came today; True only for the first visit of the day.

    Never raises: activity is bookkeeping, the page matters more.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    key = _seen_key(user_id, today)
    try:
        if cache.get(key):
            return False
    except Exception:
        logger.warning("activity cache unavailable; asking the database", exc_info=True)
    try:
        first = _visit_write(user_id=user_id, today=today, now=now)
    except DatabaseError:
        logger.warning("could not record a visit of user %s", user_id, exc_info=True)
        return False
    try:
        cache.set(key, 1, _seconds_left_today(now))
    except Exception:
        logger.warning("activity cache unavailable", exc_info=True)
    return first


@transaction.atomic
def _visit_write(*, user_id: int, today: date, now: datetime) -> bool:
    first_today = (
        User.objects.filter(pk=user_id)
        .filter(Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=day_start(today)))
        .update(last_seen_at=now, days_visited=F("days_visited") + 1)
    )
    if first_today:
        # Insert, or mark visited a row that a like received earlier today made.
        DailyActivity.objects.bulk_create(
            [DailyActivity(user_id=user_id, day=today, visited=True)],
            update_conflicts=True,
            unique_fields=["user", "day"],
            update_fields=["visited"],
        )
    return bool(first_today)


def activity_count(
    *,
    user_id: int,
    day: date | None = None,
    acted: bool = True,
    posts: int = 0,
    threads: int = 0,
    likes_given: int = 0,
    likes_received: int = 0,
) -> None:
    """Move today's (or `day`'s) counters of one member by signed amounts.

    `acted` marks the member as active that day (they posted or liked); a like
    they merely received does not. Decrements never go below zero and never
    create a row. Runs in the caller's transaction.
    """
    given = {
        "posts": posts,
        "threads": threads,
        "likes_given": likes_given,
        "likes_received": likes_received,
    }
    deltas = {field: n for field, n in given.items() if n}
    if not deltas:
        return
    day = day or timezone.localdate()
    changes = {field: Greatest(F(field) + n, 0) for field, n in deltas.items()}
    growing = any(n > 0 for n in deltas.values())
    if acted and growing:
        changes["visited"] = True
    rows = DailyActivity.objects.filter(user_id=user_id, day=day)
    if rows.update(**changes) or not growing:
        return
    try:
        with (
            transaction.atomic()
        ):  # a savepoint: a lost race leaves the caller's transaction usable
            DailyActivity.objects.create(
                user_id=user_id,
                day=day,
                visited=acted,
                **{field: max(n, 0) for field, n in deltas.items()},
            )
    except IntegrityError:
        rows.update(**changes)  # someone inserted it meanwhile: add to theirs


# Counts on the member's row, from forum's write paths ---------------------------


def user_record_post(*, user_id: int, started_thread: bool, day: date | None = None) -> None:
    """Count a new post (and thread) on its author, in the caller's transaction; `day`:
    the day it was posted (default today: a reply's follow-up may run after midnight).

    An invited member may thereby become active, which pays their inviter once.
    """
    changes = {"post_count": F("post_count") + 1}
    if started_thread:
        changes["thread_count"] = F("thread_count") + 1
    User.objects.filter(pk=user_id).update(**changes)
    invitee_record_post(user_id=user_id)
    activity_count(user_id=user_id, day=day, posts=1, threads=1 if started_thread else 0)


def like_record(*, giver_id: int, receiver_id: int | None) -> None:
    """Count a like on today's activity of who gave it and who received it."""
    activity_count(user_id=giver_id, likes_given=1)
    if receiver_id is not None and receiver_id != giver_id:
        activity_count(user_id=receiver_id, acted=False, likes_received=1)


def like_unrecord(*, giver_id: int, receiver_id: int | None, liked_on: date) -> None:
    """Take a like back from the day it was given (never below zero)."""
    activity_count(user_id=giver_id, day=liked_on, likes_given=-1)
    if receiver_id is not None and receiver_id != giver_id:
        activity_count(user_id=receiver_id, day=liked_on, likes_received=-1)


def user_counts_adjust(
    *, posts: dict[int, int] | None = None, threads: dict[int, int] | None = None
) -> None:
    """Move many members' post and thread counts by signed amounts in one UPDATE.

    Moderation (hiding, restoring, merging, splitting) changes what counts for
    several authors at once; each gets F() + their own delta, never below 0.
    """
    posts = {pk: n for pk, n in (posts or {}).items() if pk is not None and n}
    threads = {pk: n for pk, n in (threads or {}).items() if pk is not None and n}
    changes = {}
    for field, deltas in (("post_count", posts), ("thread_count", threads)):
        if deltas:
            delta = Case(
                *[When(pk=pk, then=Value(n)) for pk, n in deltas.items()],
                default=Value(0),
                output_field=IntegerField(),
            )
            changes[field] = Greatest(F(field) + delta, Value(0))
    if changes:
        User.objects.filter(pk__in=set(posts) | set(threads)).update(**changes)
