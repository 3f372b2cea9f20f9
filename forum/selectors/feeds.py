"""What the Atom feeds list: public boards' newest threads and a thread's newest posts."""

from django.conf import settings
from django.db.models import OuterRef, Subquery

from forum.models import Board, Post, Thread


def _with_opening_post(threads):
    opening = Post.objects.visible().filter(thread=OuterRef("pk"), floor=1)
    return threads.annotate(
        opening_html=Subquery(opening.values("html")[:1]),
        opening_edited_at=Subquery(opening.values("edited_at")[:1]),
    )


def feed_threads(*, board: Board | None = None):
    """The newest threads in public boards (one board, or all), with their first post's HTML.

    Feeds are read anonymously, so only boards open to everyone (and not a
    program's private board) count. One query.
    """
    threads = Thread.objects.visible().filter(
        board__visibility=Board.Visibility.EVERYONE, board__program__isnull=True
    )
    if board is not None:
        threads = threads.for_board(board)
    threads = threads.select_related("board").order_by("-created_at", "-id")
    return list(_with_opening_post(threads)[: settings.POPCORN["FEED_ITEMS"]])


def feed_posts(thread: Thread):
    """A thread's newest visible posts, newest first, read backwards on (thread, floor)."""
    posts = list(
        Post.objects.visible()
        .filter(thread=thread)
        .order_by("-floor")[: settings.POPCORN["FEED_ITEMS"]]
    )
    for post in posts:
        post.thread = thread  # already loaded: no query per post
    return posts
