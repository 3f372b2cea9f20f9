"""What a member's profile page lists."""

from forum.models import Board, Thread


def user_threads(user, *, viewer):
    """The threads `user` started that `viewer` may read, newest first (author index)."""
    return (
        Thread.objects.visible()
        .not_moved()
        .filter(author=user, board__in=Board.objects.visible_to(viewer).values("pk"))
        .select_related("board")
        .order_by("-created_at", "-id")
    )


def user_recent_threads(user, *, viewer, limit: int = 10):
    return list(user_threads(user, viewer=viewer)[:limit])
