"""A post's earlier versions."""

from forum.models import Post, PostRevision


def post_revisions_queryset(post: Post):
    """A post's earlier versions, unordered (the API pages them)."""
    return PostRevision.objects.filter(post=post)


def post_revisions(post: Post) -> list[PostRevision]:
    """Earlier versions of a post, newest first."""
    return list(post_revisions_queryset(post).order_by("-created_at", "-id"))
