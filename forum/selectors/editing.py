"""A post's earlier versions."""

from forum.models import Post, PostRevision


def post_revisions(post: Post) -> list[PostRevision]:
    """Earlier versions of a post, newest first."""
    return list(post.revisions.order_by("-created_at", "-id"))
