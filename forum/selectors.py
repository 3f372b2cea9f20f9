"""Reads that need care: each owns its joins so page query counts stay fixed."""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch

from .models import Board, BoardWatch, Post, Section, Thread, ThreadWatch


def sections_with_boards(user):
    """The front page: every section with the boards this user may see (2 queries)."""
    boards = Board.objects.visible_to(user).order_by("position", "id")
    return [
        section
        for section in Section.objects.prefetch_related(
            Prefetch("boards", queryset=boards, to_attr="visible_boards")
        )
        if section.visible_boards
    ]


def latest_threads(user, *, limit: int = 10):
    return list(
        Thread.objects.visible()
        .filter(board__in=Board.objects.visible_to(user).values("pk"))
        .select_related("board")
        .order_by("-last_posted_at")[:limit]
    )


def boards_for_viewer(user):
    """Boards with whether the signed-in viewer watches them (`viewer_watching`),
    in the board's own query."""
    boards = Board.objects.select_related("section")
    if not user.is_authenticated:
        return boards
    return boards.annotate(
        viewer_watching=Exists(BoardWatch.objects.filter(board=OuterRef("pk"), user=user)),
    )


def threads_for_viewer(user):
    """Threads with their board and device, and `viewer_watching` when signed in."""
    threads = Thread.objects.select_related("board", "device")
    if not user.is_authenticated:
        return threads
    return threads.annotate(
        viewer_watching=Exists(ThreadWatch.objects.filter(thread=OuterRef("pk"), user=user))
    )


def board_thread_page(board: Board, *, page: int, thread_type: str = "", device: str = ""):
    """One page of a board's listing: pinned first, then by last activity.

    A COUNT and one page query, whatever the page number or page size.
    """
    threads = Thread.objects.visible().for_board(board).select_related("device")
    if thread_type:
        threads = threads.filter(thread_type=thread_type)
    if device:
        threads = threads.filter(device__codename=device)
    paginator = Paginator(threads.listing_order(), settings.POPCORN["THREADS_PER_PAGE"])
    return paginator.get_page(page)


@dataclass
class ThreadPage:
    number: int
    page_count: int
    posts: list

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.page_count

    @property
    def page_range(self):
        return range(1, self.page_count + 1)


def thread_post_page(thread: Thread, *, page: int) -> ThreadPage:
    """Posts on one page of a thread, chosen by floor range, not OFFSET.

    Floors are never reused, so page N is floors (N-1)*size+1 .. N*size and the
    (thread, floor) unique index answers it directly, on page 1 or page 500.
    """
    size = settings.POPCORN["POSTS_PER_PAGE"]
    page_count = thread.page_count
    number = min(max(1, page), page_count)
    first = (number - 1) * size + 1
    posts = list(
        Post.objects.filter(thread=thread)
        .floor_range(first, first + size - 1)
        .select_related("author")
    )
    return ThreadPage(number=number, page_count=page_count, posts=posts)


def floor_page(floor: int) -> int:
    return max(1, -(-floor // settings.POPCORN["POSTS_PER_PAGE"]))


def user_recent_threads(user, *, viewer, limit: int = 10):
    return list(
        Thread.objects.visible()
        .filter(author=user, board__in=Board.objects.visible_to(viewer).values("pk"))
        .select_related("board")
        .order_by("-created_at")[:limit]
    )
