"""Counter repair: recount threads and boards from their rows.

What the counters count, exactly (these functions recount this):
  thread.reply_count         visible posts of the thread after floor 1
  board.thread_count         visible threads of the board, "Moved" notices excluded
  board.post_count           visible posts in those threads
  author.thread_count        the same threads, by their starter
  author.post_count          the same posts, by their author
  poll.voter_count           the thread's poll's ballots (forum.services.polls)
  poll option.vote_count     the votes for each of its options
"""

from django.db import transaction
from django.db.models import Count, Max, Q

from forum import caching
from forum.models import Board, Post, Thread
from forum.services.polls import poll_sync_counters


def board_last(board_id: int) -> dict:
    last = (
        Thread.objects.visible()
        .not_moved()
        .filter(board_id=board_id)
        .order_by("-last_posted_at", "-id")
        .values("pk", "title", "last_poster_name", "last_posted_at")
        .first()
    )
    if last is None:
        return {
            "last_thread_id": None,
            "last_thread_title": "",
            "last_poster_name": "",
            "last_posted_at": None,
        }
    return {
        "last_thread_id": last["pk"],
        "last_thread_title": last["title"],
        "last_poster_name": last["last_poster_name"],
        "last_posted_at": last["last_posted_at"],
    }


def thread_last_activity(thread_id: int) -> dict:
    last = (
        Post.objects.visible()
        .filter(thread_id=thread_id)
        .order_by("-floor")
        .values("created_at", "author_name")
        .first()
    )
    if last is None:
        return {}
    return {"last_posted_at": last["created_at"], "last_poster_name": last["author_name"]}


@transaction.atomic
def thread_sync_counters(*, thread: Thread) -> None:
    """Recount a thread's floors, replies and last activity from its posts (repair path)."""
    # Lock first, so a reply taking a floor right now cannot be counted wrong.
    Thread.objects.select_for_update().filter(pk=thread.pk).exists()
    totals = Post.objects.filter(thread_id=thread.pk).aggregate(
        last_floor=Max("floor"),
        replies=Count("pk", filter=Q(is_hidden=False, is_pending=False, floor__gt=1)),
        pending=Count("pk", filter=Q(is_pending=True, floor__isnull=True)),
    )
    Thread.objects.filter(pk=thread.pk).update(
        last_floor=totals["last_floor"] or 0,
        reply_count=totals["replies"],
        pending_count=totals["pending"],
        **thread_last_activity(thread.pk),
    )
    poll_sync_counters(thread_id=thread.pk)
    caching.bump_pages_on_commit(thread_ids=[thread.pk], board_ids=[thread.board_id])


@transaction.atomic
def board_sync_counters(*, board: Board) -> None:
    """Recount a board's threads, posts and last thread from rows (repair path)."""
    Board.objects.select_for_update().filter(pk=board.pk).exists()
    threads = Thread.objects.visible().not_moved().filter(board_id=board.pk)
    Board.objects.filter(pk=board.pk).update(
        thread_count=threads.count(),
        post_count=Post.objects.visible().filter(thread__in=threads).count(),
        **board_last(board.pk),
    )
    caching.bump_pages_on_commit(board_ids=[board.pk])
