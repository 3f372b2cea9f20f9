"""Versioned page caching.

Anonymous board and thread pages are cached whole under keys that carry a
version number; services bump the version after a commit that changes what the
page shows, so a stale page is never served and nothing has to be deleted.
If the cache is unreachable, pages are rendered uncached: caching only ever
speeds things up, it never breaks a page.
"""

import hashlib
import logging
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

INDEX = "index"
# Every board's slug, visibility and programme: part of every anonymous page's key, so
# the pages are looked up before the database is asked who may see them, and a board
# turned private stops being served from the cache at once (bumped on any board save).
BOARDS = "boards"
# Site-wide announcements show on every board page and the front page.
ANNOUNCEMENTS = "announcements"


def _version_key(scope: str) -> str:
    # One hash tag for every version key: a page reads several at once (get_many),
    # which a Redis Cluster answers only for keys in one slot.
    return f"{{pv}}:{scope}"


def versions(*scopes: str) -> str:
    """The current versions of the given scopes, joined for use in a key."""
    keys = [_version_key(s) for s in scopes]
    found = cache.get_many(keys)
    missing = {k: int(time.time() * 1000) for k in keys if k not in found}
    if missing:
        # A fresh, time-based start means an evicted version can never collide
        # with pages cached under the old one.
        cache.set_many(missing, timeout=None)
        found.update(missing)
    return ".".join(str(found[k]) for k in keys)


def bump(*scopes: str) -> None:
    for scope in scopes:
        key = _version_key(scope)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, int(time.time() * 1000), timeout=None)
        except Exception:
            logger.warning("could not bump cache version %s", scope, exc_info=True)


def bump_on_commit(*scopes: str) -> None:
    transaction.on_commit(lambda: bump(*scopes))


def bump_pages_on_commit(
    *, thread_ids: Iterable[int] = (), board_ids: Iterable[int] = (), announcements: bool = False
) -> None:
    """After commit, bump the front page and these boards' and threads' page versions
    (and the announcements shown on every board when they changed)."""
    scopes = [INDEX]
    scopes += [board_scope(pk) for pk in set(board_ids)]
    scopes += [thread_scope(pk) for pk in set(thread_ids)]
    if announcements:
        scopes.append(ANNOUNCEMENTS)
    bump_on_commit(*scopes)


def board_scope(board_id: int) -> str:
    return f"board:{board_id}"


def thread_scope(thread_id: int) -> str:
    return f"thread:{thread_id}"


def board_boards_changed(**kwargs) -> None:
    """A board was saved or deleted (admin, services): slugs and visibility may differ."""
    bump_on_commit(BOARDS)


def _slug_key(slug: str) -> str:
    return f"{{pv}}:board-slug:{hashlib.blake2b(slug.encode(), digest_size=16).hexdigest()}"


def board_id_for_slug(slug: str) -> int | None:
    """A board's id by its slug, from the cache only (None: not known, ask the database).

    Kept under the boards' version, so a renamed or deleted board's slug is forgotten."""
    try:
        found = cache.get(_slug_key(slug))
        if found is None:
            return None
        version, board_id = found
        return board_id if version == versions(BOARDS) else None
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)
        return None


def remember_board_slug(slug: str, board_id: int) -> None:
    try:
        cache.set(_slug_key(slug), (versions(BOARDS), board_id), timeout=None)
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)


def cached_anonymous_page(request, scopes, render, *, timeout: int | None = None):
    """Return render() for this request, from the cache when it may be shared.

    Only anonymous GETs without pending flash messages share a cached page. The key
    is built from the URL, the language, the deploy and the scopes' versions, before
    render() touches the database: a hit costs no query. Only 200s are kept, so what
    render() refuses (403, 404, redirects) is decided again on every request; the
    BOARDS scope is added to every key (a board turned private drops its pages).
    """
    scopes = [BOARDS, *scopes]
    if request.method != "GET" or request.user.is_authenticated or "messages" in request.COOKIES:
        return render()
    try:
        digest = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
        # The deploy's version too: a new release never serves the last one's HTML.
        key = f"page:{settings.DEPLOY_VERSION}:{digest}:{versions(*scopes)}:{request.LANGUAGE_CODE}"
        html = cache.get(key)
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)
        return render()
    if html is not None:
        from django.http import HttpResponse

        return HttpResponse(html)
    response = render()
    if response.status_code == 200 and not response.streaming:
        try:
            cache.set(key, response.content, timeout or settings.POPCORN["PAGE_CACHE_SECONDS"])
        except Exception:
            logger.warning("page cache unavailable", exc_info=True)
    return response


def poll_scope(thread_id: int) -> str:
    """A thread's poll results: bumped on every vote instead of the thread's page version."""
    return f"poll:{thread_id}"
