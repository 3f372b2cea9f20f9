"""Watching threads and boards.

Watching a thread brings its replies; watching a board brings its new threads.
Posting watches the thread for its author when their auto_watch preference is
on.
"""

from .models import Board, BoardWatch, Post, Thread, ThreadWatch
from .permissions import check_can_view_board, check_can_view_thread

# The unique constraints make watching idempotent: a second watch (or a double
# click racing the first) inserts nothing, in one statement and no savepoint.


def _watch_thread(*, user, thread: Thread) -> None:
    ThreadWatch.objects.bulk_create([ThreadWatch(user=user, thread=thread)], ignore_conflicts=True)


def thread_watch(*, user, thread: Thread) -> None:
    check_can_view_thread(user, thread)
    _watch_thread(user=user, thread=thread)


def thread_unwatch(*, user, thread: Thread) -> None:
    ThreadWatch.objects.filter(user=user, thread=thread).delete()


def board_watch(*, user, board: Board) -> None:
    check_can_view_board(user, board)
    BoardWatch.objects.bulk_create([BoardWatch(user=user, board=board)], ignore_conflicts=True)


def board_unwatch(*, user, board: Board) -> None:
    BoardWatch.objects.filter(user=user, board=board).delete()


def on_post_created(*, post: Post, thread: Thread, author, started_thread: bool) -> None:
    """Runs inside the posting transaction."""
    if author.auto_watch:
        _watch_thread(user=author, thread=thread)
