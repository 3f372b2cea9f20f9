"""The signed-in member's row from the cache, not the database, on every page.

Every signed-in request loads its user (the header, the bell, permissions): with a
shared cache (Redis) that row is kept in the cache under a version, and the request
reads it from there (accounts.middleware.CachedAuthenticationMiddleware).

Why it is safe for bans, suspensions and sign-outs: the version is bumped after the
commit of every write to a user row, so the next request reads the row anew.
- User.save() and delete() (admin, services, allauth's password change): post_save /
  post_delete signals (accounts.apps).
- QuerySet.update() on users (the counters kept with F(), sanctions, the core flag):
  accounts.querysets.UserQuerySet.update bumps the members it names by primary key
  (pk=… or pk__in=[…]); an update it cannot attribute (a subquery, an exclude) bumps
  every member's version at once (rare: repair jobs, a site-wide notice).
A miss reads the primary, never a replica, so a just-committed ban is what gets
cached. Rows also expire after USER_CACHE_SECONDS, a bound if a bump is ever lost
(the cache unreachable at that instant). If the cache is down, Django's own lookup
runs: caching only speeds pages up.

Only with a cache every process shares: with the embedded local-memory cache a
bump in one process would not reach another's copy, so POPCORN["USER_CACHE"] is on
only when REDIS_URL is set (config.settings.base). The suite turns it on where it is
tested (tests/accounts/test_user_cache.py), so other tests' query pins stay
independent of the cache.
"""

import logging
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import router, transaction

logger = logging.getLogger(__name__)

# One hash tag: the versions and the row are read together on a Redis Cluster.
_ALL = "{uv}:all"


def _user_key(user_id) -> str:
    return f"{{uv}}:{int(user_id)}"


def enabled() -> bool:
    return bool(settings.POPCORN.get("USER_CACHE"))


def _bump_now(keys: list[str]) -> None:
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, int(time.time() * 1000), timeout=None)
        except Exception:
            logger.warning("could not bump user cache version %s", key, exc_info=True)


def bump_users(user_ids: Iterable | None) -> None:
    """After commit, drop these members' cached rows (None: every member's)."""
    if not enabled():
        return
    keys = [_ALL] if user_ids is None else [_user_key(pk) for pk in set(user_ids)]
    if keys:
        transaction.on_commit(lambda: _bump_now(keys))


def user_changed(sender, instance, **kwargs) -> None:
    """post_save / post_delete of a user (accounts.apps)."""
    if instance.pk is not None:
        bump_users([instance.pk])


def _version(user_id) -> str:
    keys = [_ALL, _user_key(user_id)]
    found = cache.get_many(keys)
    missing = {k: int(time.time() * 1000) for k in keys if k not in found}
    if missing:
        cache.set_many(missing, timeout=None)
        found.update(missing)
    return ".".join(str(found[k]) for k in keys)


def cached_user(user_id):
    """The user row for this id: from the cache, else from the primary (then cached).

    None when there is no such user, or when the cache cannot be used (the caller then
    loads the user the way Django does)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    try:
        pk = User._meta.pk.to_python(user_id)
        version = _version(pk)
        key = f"{{uv}}:row:{pk}:{version}"
        user = cache.get(key)
    except Exception:
        logger.warning("user cache unavailable", exc_info=True)
        return None
    if user is not None:
        return user
    user = User._default_manager.db_manager(router.db_for_write(User)).filter(pk=pk).first()
    if user is not None:
        try:
            cache.set(key, user, settings.POPCORN["USER_CACHE_SECONDS"])
        except Exception:
            logger.warning("user cache unavailable", exc_info=True)
    return user
