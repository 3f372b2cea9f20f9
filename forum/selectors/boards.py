"""The front page and board pages: sections, listings, announcements, moderators."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery

from forum.models import (
    Board,
    BoardModerator,
    BoardRead,
    BoardWatch,
    Section,
    SectionModerator,
    Thread,
)
from forum.permissions import moderation_reach
from forum.selectors.reading import attach_unread
from forum.selectors.triage import STATUS_FILTERS


def sections_with_visible_boards(user):
    """Sections holding a board this user may see, each with `visible_boards`, unordered
    (2 queries once evaluated: the sections, then their boards)."""
    boards = Board.objects.visible_to(user).select_related("device").order_by("position", "id")
    return Section.objects.filter(Exists(boards.filter(section=OuterRef("pk")))).prefetch_related(
        Prefetch("boards", queryset=boards, to_attr="visible_boards")
    )


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


def boards_for_viewer(user):
    """Boards with the signed-in viewer's state in the same row, at no extra query:
    `viewer_marked_at` (their "mark board read" time or None) and `viewer_watching`.
    """
    boards = Board.objects.select_related("section")
    if not user.is_authenticated:
        return boards
    return boards.annotate(
        viewer_marked_at=Subquery(
            BoardRead.objects.filter(board=OuterRef("pk"), user=user).values("marked_at")[:1]
        ),
        viewer_watching=Exists(BoardWatch.objects.filter(board=OuterRef("pk"), user=user)),
    )


def board_threads(
    board: Board,
    *,
    thread_type: str = "",
    device: str = "",
    firmware_version: str = "",
    status: str = "",
    with_hidden: bool = False,
):
    """A board's listing with the page's filters, unordered: the page and the API order it.

    Announcements are listed above every board instead (see announcements());
    moderators also get hidden threads. Each filter rides on an index of Thread.
    """
    threads = Thread.objects.all() if with_hidden else Thread.objects.visible()
    threads = threads.for_board(board).filter(is_announcement=False).select_related("device")
    if thread_type:
        threads = threads.filter(thread_type=thread_type)
    if device:
        threads = threads.filter(device__codename=device)
    if firmware_version:
        threads = threads.filter(firmware_version=firmware_version)
    if status in STATUS_FILTERS:
        threads = threads.filter(STATUS_FILTERS[status])
    return threads


# The board page's sorts (the API has these and more): each on an index of Thread.
BOARD_SORTS = {
    "activity": ("-is_pinned", "-last_posted_at", "-id"),
    "votes": ("-vote_count", "-id"),
}


def viewer_board_marked_at(board: Board, viewer, *, fresh: bool = False):
    """When the viewer marked the board read (None if never): from boards_for_viewer's
    annotation when there (unless `fresh`), else one query."""
    if hasattr(board, "viewer_marked_at") and not fresh:
        return board.viewer_marked_at
    return (
        BoardRead.objects.filter(board=board, user=viewer)
        .values_list("marked_at", flat=True)
        .first()
    )


def board_thread_page(
    board: Board,
    *,
    page: int,
    thread_type: str = "",
    device: str = "",
    firmware_version: str = "",
    status: str = "",
    sort: str = "activity",
    viewer=None,
    with_hidden: bool = False,
):
    """One page of a board's listing: pinned first, then by last activity (or most
    "me too" / votes first with sort="votes").

    A COUNT and one page query, whatever the page number or page size; for a
    signed-in viewer one more query marks the unread threads.
    """
    threads = board_threads(
        board,
        thread_type=thread_type,
        device=device,
        firmware_version=firmware_version,
        status=status,
        with_hidden=with_hidden,
    )
    order = BOARD_SORTS.get(sort, BOARD_SORTS["activity"])
    paginator = Paginator(threads.order_by(*order), settings.POPCORN["THREADS_PER_PAGE"])
    listing = paginator.get_page(page)
    if viewer is not None and viewer.is_authenticated:
        listing.object_list = list(listing.object_list)
        marked_at = viewer_board_marked_at(board, viewer)
        attach_unread(listing.object_list, user=viewer, board_marked_at=marked_at)
    return listing


def announcements_for(user):
    """Threads pinned site-wide, from the boards this user may read, unordered."""
    return (
        Thread.objects.visible()
        .not_moved()
        .filter(is_announcement=True, board__in=Board.objects.visible_to(user).values("pk"))
        .select_related("board")
    )


def announcements(user, *, limit: int = 10):
    """The newest announcements this user may read (1 query)."""
    return list(announcements_for(user).order_by("-last_posted_at")[:limit])


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
