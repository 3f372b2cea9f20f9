"""Moderators approve or reject what waits in the approval queue.

Each, in one transaction: lock the post, check the actor moderates its board
(before anything is written), publish or hide it through forum.approval, append
one audit row, and tell the author either way.
"""

from django.db import transaction

from accounts.models import User
from forum.models import Post
from forum.permissions import check_can_moderate
from forum.services import _moderation_unchecked as forum_unchecked
from moderation.models import AuditLog
from moderation.services.audit import audit_record, notify_author, required_reason
from moderation.services.posts import lock_post

Action = AuditLog.Action


@transaction.atomic
def pending_approve(*, post: Post, actor: User, ip: str | None = None) -> Post:
    post = lock_post(post)
    check_can_moderate(actor, post.thread.board)
    opening = post.floor == 1
    waited_since = post.created_at
    forum_unchecked.approve_pending_post(post=post)
    if opening:
        audit_record(
            actor=actor,
            action=Action.THREAD_APPROVE,
            target=post.thread,
            before={"pending": True, "posted_at": waited_since.isoformat()},
            after={"pending": False},
            ip=ip,
        )
        title_key = "moderation.thread_approved"
    else:
        audit_record(
            actor=actor,
            action=Action.POST_APPROVE,
            target=post,
            before={"pending": True, "posted_at": waited_since.isoformat()},
            after={"pending": False, "floor": post.floor},
            ip=ip,
        )
        title_key = "moderation.reply_approved"
    notify_author(
        author=post.author,
        actor=actor,
        target_url=post.get_permalink(),
        title_key=title_key,
        title_params={"title": post.thread.title},
        reason="",
    )
    return post


@transaction.atomic
def pending_reject(*, post: Post, actor: User, reason: str, ip: str | None = None) -> Post:
    post = lock_post(post)
    check_can_moderate(actor, post.thread.board)
    reason = required_reason(reason)
    forum_unchecked.reject_pending_post(post=post, actor=actor, reason=reason)
    if post.floor == 1:
        action, target = Action.THREAD_REJECT, post.thread
        title_key = "moderation.thread_rejected"
    else:
        action, target = Action.POST_REJECT, post
        title_key = "moderation.reply_rejected"
    audit_record(
        actor=actor,
        action=action,
        target=target,
        reason=reason,
        before={"pending": True},
        after={"pending": False, "is_hidden": True},
        ip=ip,
    )
    notify_author(
        author=post.author,
        actor=actor,
        target_url=post.get_permalink(),
        title_key=title_key,
        title_params={"title": post.thread.title},
        reason=reason,
    )
    return post
