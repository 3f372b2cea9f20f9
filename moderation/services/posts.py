"""Moderators' actions on single posts: hide, restore, mark helpful."""

from django.db import transaction

from accounts.models import User
from forum.models import Post
from forum.permissions import check_can_moderate
from forum.services import _moderation_unchecked as forum_unchecked
from moderation.models import AuditLog
from moderation.services.audit import audit_record, notify_author, required_reason
from moderation.services.program_scores import REMOVED_POST, score_after_commit

Action = AuditLog.Action


def lock_post(post: Post | int) -> Post:
    pk = post if isinstance(post, int) else post.pk
    return (
        Post.objects.select_for_update(of=("self",))
        .select_related("thread__board", "author")
        .get(pk=pk)
    )


@transaction.atomic
def post_hide(*, post: Post, actor: User, reason: str, ip: str | None = None) -> Post:
    post = lock_post(post)
    check_can_moderate(actor, post.thread.board)
    reason = required_reason(reason)
    if not forum_unchecked.hide_post(post=post, actor=actor, reason=reason):
        return post
    audit_record(
        actor=actor,
        action=Action.POST_HIDE,
        target=post,
        reason=reason,
        before={"is_hidden": False},
        after={"is_hidden": True},
        ip=ip,
    )
    notify_author(
        author=post.author,
        actor=actor,
        target_url=post.get_permalink(),
        title_key="moderation.post_hidden",
        title_params={"title": post.thread.title},
        reason=reason,
    )
    score_after_commit(user_id=post.author_id, reason=REMOVED_POST, source=f"post:{post.pk}")
    return post


@transaction.atomic
def post_restore(*, post: Post, actor: User, reason: str = "", ip: str | None = None) -> Post:
    post = lock_post(post)
    check_can_moderate(actor, post.thread.board)
    hidden = {"is_hidden": True, "hidden_by": post.hidden_by_name, "reason": post.hidden_reason}
    if not forum_unchecked.restore_post(post=post):
        return post
    audit_record(
        actor=actor,
        action=Action.POST_RESTORE,
        target=post,
        reason=reason,
        before=hidden,
        after={"is_hidden": False},
        ip=ip,
    )
    notify_author(
        author=post.author,
        actor=actor,
        target_url=post.get_permalink(),
        title_key="moderation.post_restored",
        title_params={"title": post.thread.title},
        reason=reason,
    )
    return post


def _post_helpful(*, post: Post, actor: User, helpful: bool, reason: str, ip: str | None) -> Post:
    post = lock_post(post)
    check_can_moderate(actor, post.thread.board)
    if not forum_unchecked.set_post_helpful(post=post, helpful=helpful):
        return post
    audit_record(
        actor=actor,
        action=Action.POST_HELPFUL if helpful else Action.POST_UNHELPFUL,
        target=post,
        reason=reason,
        before={"is_helpful": not helpful},
        after={"is_helpful": helpful},
        ip=ip,
    )
    # Reputation: call accounts.services.reputation_change(...) for post.author here.
    notify_author(
        author=post.author,
        actor=actor,
        target_url=post.get_permalink(),
        title_key="moderation.post_helpful" if helpful else "moderation.post_unhelpful",
        title_params={"title": post.thread.title},
        reason=reason,
    )
    return post


@transaction.atomic
def post_mark_helpful(*, post: Post, actor: User, reason: str = "", ip: str | None = None) -> Post:
    return _post_helpful(post=post, actor=actor, helpful=True, reason=reason, ip=ip)


@transaction.atomic
def post_unmark_helpful(
    *, post: Post, actor: User, reason: str = "", ip: str | None = None
) -> Post:
    return _post_helpful(post=post, actor=actor, helpful=False, reason=reason, ip=ip)
