"""Reads that need care: each owns its joins so page query counts stay fixed."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q

from .models import Board, BoardModerator, Post, Section, SectionModerator, Thread
from .permissions import moderation_reach


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
        .not_moved()
        .filter(board__in=Board.objects.visible_to(user).values("pk"))
        .select_related("board")
        .order_by("-last_posted_at")[:limit]
    )


def board_thread_page(
    board: Board, *, page: int, thread_type: str = "", device: str = "", with_hidden: bool = False
):
    """One page of a board's listing: pinned first, then by last activity.

    A COUNT and one page query, whatever the page number or page size.
    Announcements are listed above every board instead (see announcements());
    moderators also get hidden threads, shown greyed.
    """
    threads = Thread.objects.all() if with_hidden else Thread.objects.visible()
    threads = threads.for_board(board).filter(is_announcement=False).select_related("device")
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
        .not_moved()
        .filter(author=user, board__in=Board.objects.visible_to(viewer).values("pk"))
        .select_related("board")
        .order_by("-created_at")[:limit]
    )


def announcements(user, *, limit: int = 10):
    """Threads pinned site-wide, from the boards this user may read (1 query)."""
    return list(
        Thread.objects.visible()
        .not_moved()
        .filter(is_announcement=True, board__in=Board.objects.visible_to(user).values("pk"))
        .select_related("board")
        .order_by("-last_posted_at")[:limit]
    )


def board_moderators(board: Board):
    """The board's own and its section's moderators, for the board page (1 query)."""
    of_board = BoardModerator.objects.filter(board=board).values("user_id")
    of_section = SectionModerator.objects.filter(section_id=board.section_id).values("user_id")
    return list(
        get_user_model()
        .objects.filter(Q(pk__in=of_board) | Q(pk__in=of_section))
        .only("pk", "username", "display_name")
        .order_by("username")
    )


def boards_moderated_by(user):
    """Boards this user may move threads into (1 query; none if they moderate nothing)."""
    reach = moderation_reach(user)
    if not reach:
        return []
    boards = Board.objects.visible_to(user).select_related("section")
    if not reach.everywhere:
        boards = boards.filter(pk__in=reach.board_ids)
    return list(boards.order_by("section__position", "section_id", "position", "id"))
