from celery import shared_task

from config.jobs import job

from . import services
from .models import Board, Post, Thread
from .rendering import RENDER_VERSION


@shared_task(name="forum.rerender_stale_posts", acks_late=True)
def rerender_stale_posts(batch_size: int = 500) -> int:
    """Re-render one batch of posts written by an older renderer; returns how many.

    Idempotent: a post is picked only while its render_version is behind, so a
    batch killed half-way is simply picked up again by the next run.
    """
    stale = Post.objects.filter(render_version__lt=RENDER_VERSION).order_by("pk")[:batch_size]
    count = 0
    for post in stale:
        services.post_rerender(post=post)
        count += 1
    return count


@job("forum.fold_thread_views")
def fold_thread_views() -> int:
    """Thread views counted since the last run, added to the threads; returns how many."""
    return services.thread_views_fold()


@shared_task(name="forum.notify_post_watchers", acks_late=True)
def notify_post_watchers(post_id: int) -> int:
    """Fan a new post out to its watchers; forum.services.watching.post_notify_watchers says
    what a retry does."""
    post = Post.objects.select_related("thread__board", "author").filter(pk=post_id).first()
    if post is None:  # deleted before the task ran
        return 0
    return services.post_notify_watchers(post=post)


@job("forum.reply_follow_up", by_hand=False)
def reply_follow_up(post_id: int) -> bool:
    """A reply's counters, reputation, read position, watch, search text and notifications,
    after its commit; idempotent (forum.services.posting.reply_follow_up)."""
    return services.reply_follow_up(post_id=post_id)


@shared_task(name="forum.sync_board_counters", acks_late=True)
def sync_board_counters(board_id: int) -> int:
    """Recount one board and its threads from rows; idempotent. Returns threads recounted."""
    board = Board.objects.filter(pk=board_id).first()
    if board is None:
        return 0
    count = 0
    for thread in Thread.objects.filter(board=board).only("pk", "board_id").iterator():
        services.thread_sync_counters(thread=thread)
        services.thread_sync_vote_count(thread=thread)
        count += 1
    services.board_sync_counters(board=board)
    return count


@shared_task(name="forum.delete_old_idempotency_keys", acks_late=True)
def delete_old_idempotency_keys() -> int:
    """The API's Idempotency-Keys past POPCORN["API_IDEMPOTENCY_HOURS"]; idempotent."""
    return services.idempotency_keys_delete_old()


@job("forum.delete_expired_uploads")
def delete_expired_uploads() -> int:
    """Hourly: delete pending uploads (files kept from a form sent back) never posted in time."""
    return services.pending_uploads_delete_expired()


@job("forum.send_meetup_reminders")
def send_meetup_reminders() -> int:
    """Hourly: remind members with a seat of the meetups starting within a day (once each)."""
    return services.meetup_reminders_send()


@job("forum.notify_bug_fixed", by_hand=False)
def notify_bug_fixed(thread_id: int) -> int:
    """Tell everyone who said "me too" on a bug that it is fixed (idempotent by group key)."""
    thread = Thread.objects.filter(pk=thread_id).first()
    if thread is None:
        return 0
    return services.bug_notify_fixed(thread=thread)


@job("forum.sync_vote_counts")
def sync_vote_counts() -> int:
    """Recount every thread's "me too" / votes from the rows (the repair path)."""
    return services.votes_sync_all()


@job("forum.rescore_hot_threads")
def rescore_hot_threads() -> int:
    """Every 10 minutes: the recent threads' hot scores and like totals (POPCORN["HOT"])."""
    return services.threads_rescore_hot()
