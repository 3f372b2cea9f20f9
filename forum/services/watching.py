"""Watching threads and boards, and telling watchers about new posts.

Watching a thread brings its replies; watching a board brings its new threads.
Posting watches the thread for its author when their auto_watch preference is
on. Notifications go out from a Celery task queued after the post commits, so
a thread with 10,000 watchers costs the poster nothing.
"""

from django.core.exceptions import PermissionDenied

from accounts import services as account_services
from accounts.models import NotificationKind, User
from config.jobs import enqueue_on_commit
from forum.models import Board, BoardWatch, Post, Thread, ThreadWatch
from forum.permissions import (
    board_readers,
    check_can_view_board,
    check_can_view_thread,
    watch_denied_reason,
)
from forum.rendering import plain_text

EXCERPT_LENGTH = 200


# The unique constraints make watching idempotent: a second watch (or a double
# click racing the first) inserts nothing, in one statement and no savepoint.


def _watch_thread(*, user, thread: Thread) -> None:
    ThreadWatch.objects.bulk_create([ThreadWatch(user=user, thread=thread)], ignore_conflicts=True)


def _check_may_watch(user: User) -> None:
    reason = watch_denied_reason(user)
    if reason:
        raise PermissionDenied(reason)


def thread_watch(*, user: User, thread: Thread) -> None:
    _check_may_watch(user)
    check_can_view_thread(user, thread)
    _watch_thread(user=user, thread=thread)


def thread_unwatch(*, user: User, thread: Thread) -> None:
    ThreadWatch.objects.filter(user=user, thread=thread).delete()


def board_watch(*, user: User, board: Board) -> None:
    _check_may_watch(user)
    check_can_view_board(user, board)
    BoardWatch.objects.bulk_create([BoardWatch(user=user, board=board)], ignore_conflicts=True)


def board_unwatch(*, user: User, board: Board) -> None:
    BoardWatch.objects.filter(user=user, board=board).delete()


def on_post_created(*, post: Post, thread: Thread, author: User, started_thread: bool) -> None:
    """Runs inside the posting transaction."""
    if author.auto_watch:
        _watch_thread(user=author, thread=thread)
    # Queued by name after commit (robust: a broker outage must not turn an already
    # committed post into an error page); forum.tasks calls post_notify_watchers.
    enqueue_on_commit("forum.notify_post_watchers", post.pk)


def post_notify_watchers(*, post: Post) -> int:
    """Notify who follows a new post: the board's watchers of a new thread,
    the thread's watchers and its starter of a reply. Returns how many.

    The author is never notified of their own post, nor is anyone who can no
    longer read the board. Run again for the same post (Celery redelivers an
    acks_late task whose worker died after the commit), it adds nothing for
    recipients whose notification is still unread: the per-post group_key
    makes notification_fan_out skip them. A recipient who already read it
    would get it a second time, which is the accepted cost of a redelivery.
    """
    thread = post.thread
    if post.is_hidden or thread.is_hidden or post.is_pending or thread.is_pending:
        return 0  # a held post notifies when it is approved
    if post.floor == 1:
        kind = NotificationKind.NEW_THREAD
        followers = BoardWatch.objects.filter(board_id=thread.board_id).values("user_id")
    else:
        kind = NotificationKind.REPLY
        followers = ThreadWatch.objects.filter(thread_id=thread.pk).values("user_id")
        if thread.author_id is not None:
            # UNION, not OR: a starter who also watches stays one recipient, and the
            # watch index finds the users instead of a scan of every member.
            followers = followers.union(User.objects.filter(pk=thread.author_id).values("pk"))
    recipients = User.objects.filter(board_readers(thread.board), pk__in=followers).values("pk")
    return account_services.notification_fan_out(
        recipients=recipients,
        kind=kind,
        actor=post.author,
        target_url=post.get_absolute_url(),
        title_key="forum.new_thread" if kind == NotificationKind.NEW_THREAD else "forum.reply",
        title_params={"title": thread.title},
        excerpt=plain_text(post.source, limit=EXCERPT_LENGTH),
        group_key=f"{kind}:post:{post.pk}",
    )
