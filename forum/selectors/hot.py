"""The hot and top lists: threads by hot score, or by likes + replies over a period."""

from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from forum.selectors.threads import visible_threads

# period -> days back from now; "" is the hot list (decayed score, no period).
HOT_PERIODS = {"": None, "day": 1, "week": 7, "month": 30}


def hot_threads(user, *, board=None, period: str = ""):
    """Threads this user may read (hidden ones and unseen boards left out), hot first,
    or for a period the top ones started in it by likes + replies, ordered."""
    threads = visible_threads(user)
    if board is not None:
        threads = threads.filter(board=board)
    days = HOT_PERIODS.get(period)
    if days is None:
        threads = threads.filter(hot_score__gt=0).order_by("-hot_score", "-id")
    else:
        threads = (
            threads.filter(created_at__gte=timezone.now() - timedelta(days=days))
            .alias(top_score=F("like_total") + F("reply_count"))
            .order_by("-top_score", "-id")
        )
    return threads


# No one pages this far into a hot list (30 a page: 300,000 threads).
LAST_PAGE = 10_000


def hot_threads_page(user, *, board=None, period: str = "", page: int = 1):
    """One page of hot_threads(): (threads, has_next), in one query."""
    size = settings.POPCORN["HOT"]["PER_PAGE"]
    threads = hot_threads(user, board=board, period=period)
    # Past the last page is an empty page, but an OFFSET of 2**63 overflows the database.
    start = (min(page, LAST_PAGE + 1) - 1) * size
    rows = list(threads[start : start + size + 1])
    return rows[:size], len(rows) > size
