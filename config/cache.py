"""The Redis cache, kept from taking the site down with it.

Redis holds what the site can live without for a while: cached pages, rate-limit
counters (allauth's and Popcorn's), the once-a-day visit marks. When it cannot
be reached, ResilientRedisCache answers as an empty cache would (nothing found,
everything "stored") instead of raising, so a page, a sign-in or a reply goes on:

- pages render uncached (forum.caching);
- allauth's sign-in, sign-up and reset limits let the request through (they
  fail open: an outage must not lock everyone out);
- Popcorn's posting limits notice (`cache_available()`, CacheUnavailable) and
  count from the database instead (forum.services.limits).

Every call waits at most the socket timeouts in settings.REDIS_OPTIONS. After a
failure the cache stays "down" for RETRY_SECONDS in this process and calls return
at once, so a request pays that wait once per outage window, not once per call.
One warning is logged when Redis goes away and one when it is back.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis import exceptions as redis_errors

logger = logging.getLogger(__name__)

# How long a process leaves Redis alone after a failure before trying again.
RETRY_SECONDS = 5.0
# What an unreachable Redis raises; a bug (a wrong type, a bad command) still raises.
UNREACHABLE = (
    redis_errors.ConnectionError,
    redis_errors.TimeoutError,
    redis_errors.ReadOnlyError,
    OSError,
)

_down_until = 0.0


class CacheUnavailable(ValueError):
    """incr/decr while Redis is unreachable: there is no counter to give.

    A ValueError, as Django's "no such key", so callers that start a missing
    counter again do so harmlessly; the posting limits catch it by name.
    """


# What a caller that must know the cache is down catches: ResilientRedisCache's
# CacheUnavailable, or what any other backend raises when its server is gone.
CACHE_DOWN = (CacheUnavailable, *UNREACHABLE)


def cache_available() -> bool:
    """False while this process treats Redis as down (after a failure, for RETRY_SECONDS)."""
    return time.monotonic() >= _down_until


def _mark_down(operation: str, exc: Exception) -> None:
    global _down_until
    if cache_available():
        logger.warning(
            "cache unreachable (%s: %s); going on without it for %.0f s: pages render "
            "uncached, sign-in limits let requests through, posting limits count from "
            "the database",
            operation,
            exc,
            RETRY_SECONDS,
        )
    _down_until = time.monotonic() + RETRY_SECONDS


def _mark_up() -> None:
    global _down_until
    logger.warning("cache reachable again")
    _down_until = 0.0


def reset() -> None:
    """Forget an outage (tests; a process that knows Redis is back)."""
    global _down_until
    _down_until = 0.0


def _soft(fallback):
    """Run the Redis call; when Redis is unreachable, answer `fallback(*args, **kwargs)`."""

    def wrap(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            if not cache_available():
                return fallback(*args, **kwargs)
            try:
                answer = method(self, *args, **kwargs)
            except UNREACHABLE as exc:
                _mark_down(method.__name__, exc)
                return fallback(*args, **kwargs)
            if _down_until:
                _mark_up()
            return answer

        return call

    return wrap


def _no_counter(key, *args, **kwargs):
    raise CacheUnavailable(f"cache unreachable: no counter {key}")


def _default(key, default=None, *args, **kwargs):
    return default


def _nothing(*args, **kwargs):
    return None


def _stored(*args, **kwargs):
    # add() "succeeds": whoever takes a lock or a once-only slot may go on.
    return True


def _missing(*args, **kwargs):
    return False


def _none_found(*args, **kwargs):
    return {}


def _none_failed(*args, **kwargs):
    return []


class ResilientRedisCache(RedisCache):
    add = _soft(_stored)(RedisCache.add)
    get = _soft(_default)(RedisCache.get)
    set = _soft(_nothing)(RedisCache.set)
    touch = _soft(_missing)(RedisCache.touch)
    delete = _soft(_missing)(RedisCache.delete)
    get_many = _soft(_none_found)(RedisCache.get_many)
    has_key = _soft(_missing)(RedisCache.has_key)
    incr = _soft(_no_counter)(RedisCache.incr)
    set_many = _soft(_none_failed)(RedisCache.set_many)
    delete_many = _soft(_nothing)(RedisCache.delete_many)
    clear = _soft(_missing)(RedisCache.clear)

    def ping(self) -> None:
        """Ask Redis itself, past the breaker; raises when it does not answer (/health/)."""
        self._cache.get_client(write=True).ping()
        if _down_until:
            _mark_up()


class RedisClusterCacheClient(RedisCacheClient):
    """Django's Redis client, on a Redis Cluster (redis-py's RedisCluster), when
    REDIS_CLUSTER is set: the cluster routes each key to its node. Keys read or written
    together (get_many, set_many) must share a hash tag (`{tag}` in the key), so they
    live in one slot: forum.caching's page versions do."""

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._cluster = None

    def get_client(self, key=None, *, write=False):
        if self._cluster is None:
            from redis.cluster import RedisCluster

            options = {k: v for k, v in self._pool_options.items() if k != "parser_class"}
            self._cluster = RedisCluster.from_url(self._servers[0], **options)
        return self._cluster

    def set_many(self, data, timeout):
        # A cluster pipeline takes no MSET: one SET each, sent together.
        pipeline = self.get_client(None, write=True).pipeline()
        for key, value in data.items():
            pipeline.set(key, self._serializer.dumps(value), ex=timeout)
        pipeline.execute()

    def delete_many(self, keys):
        pipeline = self.get_client(None, write=True).pipeline()
        for key in keys:
            pipeline.delete(key)
        pipeline.execute()

    def clear(self):
        from redis.cluster import RedisCluster

        return bool(self.get_client(write=True).flushdb(target_nodes=RedisCluster.PRIMARIES))


class ResilientRedisClusterCache(ResilientRedisCache):
    """ResilientRedisCache (fail-soft) on a Redis Cluster."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisClusterCacheClient
