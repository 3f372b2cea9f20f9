"""Thread view counts, off the read path: counted in the cache, folded into threads by a job.

A thread page never writes the thread's row (the row a reply locks to claim its floor):
a view is one HINCRBY on a Redis hash, and `thread_views_fold` (forum.fold_thread_views,
every minute) moves the counts into Thread.view_count with one UPDATE per distinct count.
Without Redis (the embedded default: SQLite and the locmem cache) the counts wait in this
process's memory and the first view after VIEW_FOLD_SECONDS folds them, in its own short
statement outside any transaction. Views are an estimate: a view lost to a crash or a
Redis outage is a view not counted, never an error.
"""

import logging
import threading
import time
from collections import Counter, defaultdict

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.db.models import F

from config.cache import UNREACHABLE, cache_available
from forum.models import Thread

logger = logging.getLogger(__name__)

# One hash tag: on a Redis Cluster the whole family lives in one slot.
_PENDING = "{tv}:pending"
# Takes the hash and empties it in one step, so a view counted meanwhile is kept.
_TAKE = "local v = redis.call('HGETALL', KEYS[1]); redis.call('DEL', KEYS[1]); return v"

_local: Counter = Counter()
_local_lock = threading.Lock()
_local_folded_at = time.monotonic()


def _redis():
    """The cache's Redis client, or None when the cache is not Redis or is down."""
    if not isinstance(cache, RedisCache) or not cache_available():
        return None
    return cache._cache.get_client(write=True)


def thread_record_view(*, thread_id: int) -> None:
    """Count one view of a thread: no database write (see the module's docstring)."""
    client = _redis()
    if client is not None:
        try:
            client.hincrby(cache.make_key(_PENDING), str(thread_id), 1)
            return
        except UNREACHABLE:
            logger.info("view not counted in Redis; kept in memory", exc_info=True)
    with _local_lock:
        _local[thread_id] += 1
    every = settings.POPCORN["VIEW_FOLD_SECONDS"]
    if every and time.monotonic() - _local_folded_at >= every:
        _fold_local()


def _take_local() -> Counter:
    global _local_folded_at
    with _local_lock:
        taken = _local.copy()
        _local.clear()
        _local_folded_at = time.monotonic()
    return taken


def _fold_local() -> int:
    return _apply(_take_local())


def _take_redis() -> Counter:
    client = _redis()
    if client is None:
        return Counter()
    try:
        flat = client.eval(_TAKE, 1, cache.make_key(_PENDING))
    except UNREACHABLE:
        logger.warning("view counts not folded: Redis unreachable", exc_info=True)
        return Counter()
    pairs = zip(flat[::2], flat[1::2], strict=True)
    return Counter({int(thread_id): int(count) for thread_id, count in pairs})


def _apply(counts: Counter) -> int:
    """Add the counts to the threads: one UPDATE per distinct count, not per thread."""
    by_count = defaultdict(list)
    for thread_id, count in counts.items():
        if count > 0:
            by_count[count].append(thread_id)
    with transaction.atomic():
        for count, ids in by_count.items():
            Thread.objects.filter(pk__in=ids).update(view_count=F("view_count") + count)
    return sum(counts.values())


def thread_views_fold() -> int:
    """Fold the views counted since the last fold into Thread.view_count; returns how many."""
    return _apply(_take_redis() + _take_local())
