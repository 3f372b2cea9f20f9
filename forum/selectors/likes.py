"""Who liked what: the viewer's likes on a page, and a post's likers."""

from django.conf import settings
from django.core.paginator import Paginator

from forum.models import Post, PostLike


def mark_liked_by(viewer, posts: list[Post]) -> None:
    """Set post.liked_by_viewer on each post: one query on the (post, user) index."""
    liked: set[int] = set()
    if viewer is not None and viewer.is_authenticated and posts:
        liked = set(
            PostLike.objects.filter(user=viewer, post_id__in=[p.pk for p in posts]).values_list(
                "post_id", flat=True
            )
        )
    for post in posts:
        post.liked_by_viewer = post.pk in liked


def post_likers(post: Post):
    """A post's likes with their members (one query however many), unordered."""
    return PostLike.objects.filter(post=post).select_related("user")


def post_likers_page(post: Post, *, page: int):
    """Who liked a post, newest first: a COUNT and one page query with the users."""
    likes = post_likers(post).order_by("-created_at", "-id")
    return Paginator(likes, settings.POPCORN["LIKERS_PER_PAGE"]).get_page(page)
