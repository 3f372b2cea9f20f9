"""Publishing or rejecting what forum.posting_rules held for approval.

The mechanics only, like the other moderation mechanics in forum.services:
no permission check, no audit row, no notice to the author; that is
moderation.approvals' job. Approving publishes exactly as posting would have
(counters, last post, watchers and mentions notified, page cache versions), at
the time of approval; rejecting leaves the content hidden with the reason.
Nothing is deleted.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Post, Thread
from .services import (
    _hidden_fields,
    _open_for_reply,
    reply_claim_floor,
    reply_publish,
    thread_publish,
)


def _check_pending(post: Post) -> None:
    if not post.is_pending:
        raise ValidationError(_("This post is no longer awaiting approval."))


@transaction.atomic
def pending_approve(*, post: Post) -> Post:
    """Publish a held thread (its opening post) or a held reply.

    `post` comes locked, with thread__board and author loaded.
    """
    _check_pending(post)
    if post.author is None:
        raise ValidationError(_("The author's account is gone: reject the post."))
    thread = post.thread
    now = timezone.now()
    if post.floor == 1:
        if thread.is_hidden:
            raise ValidationError(_("Restore the thread before approving it."))
        Thread.objects.filter(pk=thread.pk).update(
            is_pending=False, created_at=now, last_posted_at=now
        )
        Post.objects.filter(pk=post.pk).update(is_pending=False, created_at=now)
        thread.is_pending, thread.created_at, thread.last_posted_at = False, now, now
        post.is_pending, post.created_at = False, now
        thread_publish(thread=thread, opening=post, author=post.author, now=now)
        return post
    open_threads = _open_for_reply(thread, None)  # no author: locked threads take it too
    if not open_threads.exists():
        raise ValidationError(_("The thread is hidden or awaiting approval: reject the reply."))
    # Published now, at the end of the thread: it takes the next floor, so no
    # reader finds it slipped in above what they had already read.
    floor = reply_claim_floor(
        thread=thread,
        author=post.author,
        now=now,
        open_threads=open_threads,
        pending_count=Greatest(F("pending_count") - 1, 0),
    )
    Post.objects.filter(pk=post.pk).update(is_pending=False, floor=floor, created_at=now)
    post.is_pending, post.floor, post.created_at = False, floor, now
    thread.last_floor = floor
    reply_publish(thread=thread, post=post, author=post.author, now=now)
    return post


@transaction.atomic
def pending_reject(*, post: Post, actor, reason: str) -> Post:
    """Hide a held thread or reply with the reason; it never counted, so no counter moves."""
    _check_pending(post)
    thread = post.thread
    hidden = _hidden_fields(actor, reason)
    if post.floor == 1:
        # A hidden thread like any other: restoring it later publishes it, counters and all.
        Thread.objects.filter(pk=thread.pk).update(is_pending=False, **hidden)
        Post.objects.filter(pk=post.pk).update(is_pending=False)
        thread.is_pending, thread.is_hidden = False, True
        thread.hidden_reason = hidden["hidden_reason"]
    else:
        Post.objects.filter(pk=post.pk).update(is_pending=False, **hidden)
        Thread.objects.filter(pk=thread.pk, pending_count__gt=0).update(
            pending_count=F("pending_count") - 1
        )
        post.is_hidden, post.hidden_reason = True, hidden["hidden_reason"]
    post.is_pending = False
    return post
