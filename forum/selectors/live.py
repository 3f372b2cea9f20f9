"""What the live polls read: a thread's last floor, from the cache when it can be."""

import contextlib

from django.core.cache import cache

from forum import caching, permissions
from forum.models import Board, Thread


def thread_last_floor(user, thread_id: int) -> int | None:
    """The thread's last floor, None if the user may not read it. A thread everyone may
    read is answered from the cache, under its page version (bumped by every reply), so a
    poll costs no query; any other is checked against the user, as its page is."""
    try:
        key = f"lastfloor:{thread_id}:{caching.versions(caching.thread_scope(thread_id))}"
        cached = cache.get(key)
    except Exception:  # noqa: BLE001 - no cache: ask the database
        key, cached = None, None
    if cached is not None:
        return cached
    thread = Thread.objects.select_related("board").filter(pk=thread_id).first()
    if thread is None or thread.moved_to_id or not permissions.can_view_thread(user, thread):
        return None
    public = (
        thread.board.visibility == Board.Visibility.EVERYONE
        and thread.board.program_id is None
        and not thread.is_hidden
        and not thread.is_pending
    )
    if public and key is not None:
        with contextlib.suppress(Exception):  # an unreachable cache only costs the query
            cache.set(key, thread.last_floor, 60 * 60)
    return thread.last_floor
