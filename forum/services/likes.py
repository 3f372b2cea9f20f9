"""Likes: one PostLike row per member and post, by a unique constraint.

A double click or two tabs meet in the constraint, not in a check-then-insert.
like_count moves only when a row was really inserted or deleted, with F() in
the same transaction. `post` should come with select_related("thread__board", "author").
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import NotificationKind, User
from forum import caching
from forum.models import Post, PostLike
from forum.permissions import like_denied_reason, sanction_denied_reason
from forum.services import reputation


@transaction.atomic
def post_like(*, post: Post, user: User) -> bool:
    """Like a post; False when this member already liked it."""
    reason = like_denied_reason(user, post)
    if reason:
        raise PermissionDenied(reason)
    try:
        with transaction.atomic():  # a savepoint: the outer transaction survives a lost race
            PostLike.objects.create(post=post, user=user)
    except IntegrityError:
        return False
    Post.objects.filter(pk=post.pk).update(like_count=F("like_count") + 1)
    reputation.like_received(post, user.pk)
    account_services.like_record(giver_id=user.pk, receiver_id=post.author_id)
    if post.author_id is not None:
        account_services.notification_group_add(
            recipient=post.author,
            kind=NotificationKind.LIKE,
            group_key=f"like:post:{post.pk}",
            target_url=post.get_absolute_url(),
            title_key="forum.like",
            title_params={"title": post.thread.title},
            actor=user,
        )
    caching.bump_on_commit(caching.thread_scope(post.thread_id))
    return True


@transaction.atomic
def post_unlike(*, post: Post, user: User) -> bool:
    """Take a like back; False when there was none. Allowed on hidden posts too."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to like posts."))
    sanctioned = sanction_denied_reason(user, posting=False)
    if sanctioned:  # a suspended member is read-only, likes included
        raise PermissionDenied(sanctioned)
    like = PostLike.objects.filter(post=post, user=user)
    liked_at = like.values_list("created_at", flat=True).first()
    deleted, _per_model = like.delete()
    if not deleted:
        return False
    Post.objects.filter(pk=post.pk, like_count__gt=0).update(like_count=F("like_count") - 1)
    reputation.like_withdrawn(post, user.pk)
    account_services.like_unrecord(
        giver_id=user.pk, receiver_id=post.author_id, liked_on=timezone.localdate(liked_at)
    )
    caching.bump_on_commit(caching.thread_scope(post.thread_id))
    return True


def post_sync_like_count(*, post: Post) -> None:
    """Repair path: recount like_count from the rows."""
    likes = (
        PostLike.objects.filter(post=OuterRef("pk"))
        .values("post")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # One statement, so a like landing meanwhile is not lost between a read and a write.
    Post.objects.filter(pk=post.pk).update(like_count=Coalesce(Subquery(likes), 0))
    caching.bump_on_commit(caching.thread_scope(post.thread_id))
