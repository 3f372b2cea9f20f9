"""Reads that need care: each owns its joins so page query counts stay fixed."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery

from config.days import day_start

from . import search
from .models import (
    Attachment,
    Board,
    BoardModerator,
    BoardRead,
    BoardWatch,
    Post,
    PostLike,
    PostRevision,
    Section,
    SectionModerator,
    Thread,
    ThreadRead,
    ThreadWatch,
)
from .permissions import can_moderate, moderation_reach


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


def threads_for_viewer(user):
    """Threads with their board and device, and `viewer_watching` when signed in."""
    threads = Thread.objects.select_related("board", "device")
    if not user.is_authenticated:
        return threads
    return threads.annotate(
        viewer_watching=Exists(ThreadWatch.objects.filter(thread=OuterRef("pk"), user=user))
    )


def board_thread_page(
    board: Board,
    *,
    page: int,
    thread_type: str = "",
    device: str = "",
    viewer=None,
    with_hidden: bool = False,
):
    """One page of a board's listing: pinned first, then by last activity.

    A COUNT and one page query, whatever the page number or page size; for a
    signed-in viewer one more query marks the unread threads. Announcements
    are listed above every board instead (see announcements()); moderators
    also get hidden threads, shown greyed.
    """
    threads = Thread.objects.all() if with_hidden else Thread.objects.visible()
    threads = threads.for_board(board).filter(is_announcement=False).select_related("device")
    if thread_type:
        threads = threads.filter(thread_type=thread_type)
    if device:
        threads = threads.filter(device__codename=device)
    paginator = Paginator(threads.listing_order(), settings.POPCORN["THREADS_PER_PAGE"])
    listing = paginator.get_page(page)
    if viewer is not None and viewer.is_authenticated:
        listing.object_list = list(listing.object_list)
        if hasattr(board, "viewer_marked_at"):
            marked_at = board.viewer_marked_at
        else:
            marked_at = (
                BoardRead.objects.filter(board=board, user=viewer)
                .values_list("marked_at", flat=True)
                .first()
            )
        attach_unread(listing.object_list, user=viewer, board_marked_at=marked_at)
    return listing


def attach_unread(threads: list[Thread], *, user, board_marked_at) -> None:
    """Set `unread_count` and `is_unread` on each thread, for one viewer.

    Their read positions for all the threads come in one query. A thread with
    no activity since the board was marked read is read; one they have opened
    has last_floor - last_read_floor new posts; one never opened is new.
    """
    read_floors = dict(
        ThreadRead.objects.filter(user=user, thread__in=[t.pk for t in threads]).values_list(
            "thread_id", "last_read_floor"
        )
    )
    for thread in threads:
        read_floor = read_floors.get(thread.pk)
        if board_marked_at is not None and thread.last_posted_at <= board_marked_at:
            thread.unread_count = 0
            thread.is_unread = False
        elif read_floor is not None:
            thread.unread_count = max(0, thread.last_floor - read_floor)
            thread.is_unread = thread.unread_count > 0
        else:
            thread.unread_count = None  # never opened: "new", however long
            thread.is_unread = True


def first_unread_floor(user, thread: Thread) -> int:
    """The floor after the viewer's read position (their last floor if all read), or 1."""
    if not user.is_authenticated:
        return 1
    read_floor = (
        ThreadRead.objects.filter(user=user, thread=thread)
        .values_list("last_read_floor", flat=True)
        .first()
    )
    if read_floor is None:
        return 1
    return max(1, min(read_floor + 1, thread.last_floor))


@dataclass
class ThreadPage:
    number: int
    page_count: int
    posts: list

    @property
    def last_floor(self) -> int:
        """The highest floor shown: how far a reader of this page has read."""
        return self.posts[-1].floor if self.posts else 0

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.page_count

    @property
    def page_range(self):
        return range(1, self.page_count + 1)


def thread_post_page(thread: Thread, *, page: int, viewer=None) -> ThreadPage:
    """Posts on one page of a thread, chosen by floor range, not OFFSET.

    Floors are never reused, so page N is floors (N-1)*size+1 .. N*size and the
    (thread, floor) unique index answers it directly, on page 1 or page 500.
    With a signed-in viewer, each post also says whether they liked it
    (`liked_by_viewer`), from one more query for the whole page.
    """
    size = settings.POPCORN["POSTS_PER_PAGE"]
    page_count = thread.page_count
    number = min(max(1, page), page_count)
    first = (number - 1) * size + 1
    posts = list(
        Post.objects.filter(thread=thread)
        .floor_range(first, first + size - 1)
        .select_related("author")
        # Every attachment of the page in one query, however many posts carry files.
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
    )
    for post in posts:
        post.thread = thread  # permission checks in the template read it: no query per post
    mark_liked_by(viewer, posts)
    return ThreadPage(number=number, page_count=page_count, posts=posts)


def thread_pending_posts(thread: Thread, *, viewer) -> list[Post]:
    """Replies awaiting approval that this viewer may see: their own, or all for
    the board's moderators. No query unless the thread has some (pending_count)."""
    if not thread.pending_count or viewer is None or not viewer.is_authenticated:
        return []
    posts = Post.objects.filter(thread=thread, is_pending=True, floor__isnull=True)
    if not can_moderate(viewer, thread.board):
        posts = posts.filter(author=viewer)
    posts = list(posts.select_related("author").order_by("created_at", "pk"))
    for post in posts:
        post.thread = thread
    return posts


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


def post_with_thread(post_id: int) -> Post:
    """A post with what its permission checks and notifications read; DoesNotExist if none."""
    return Post.objects.select_related("thread__board", "thread__device", "author").get(pk=post_id)


def post_likers_page(post: Post, *, page: int):
    """Who liked a post, newest first: a COUNT and one page query with the users."""
    likes = PostLike.objects.filter(post=post).select_related("user").order_by("-created_at", "-id")
    return Paginator(likes, settings.POPCORN["LIKERS_PER_PAGE"]).get_page(page)


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


@dataclass(frozen=True)
class SearchFilters:
    board: str = ""  # slug
    device: str = ""  # codename
    thread_type: str = ""
    author: str = ""  # username
    after: date | None = None  # inclusive, in the site's time zone
    before: date | None = None  # inclusive


def search_posts_queryset(user, query: search.Query, filters: SearchFilters):
    """Posts this user may read that contain every term, best match first.

    PostgreSQL: the GIN index on to_tsvector('simple', search_text) finds the
    posts, ranked by ts_rank, newest first among equals. SQLite (the embedded
    default, no full-text index): every term with icontains on the same
    tokens, newest first. The other filters narrow what the word match found:
    slug, codename and username are unique, post author and date ride on
    post_author_recent and the created_at index.
    """
    posts = Post.objects.visible().filter(
        thread__is_hidden=False,
        thread__board__in=Board.objects.visible_to(user).values("pk"),
    )
    if filters.board:
        posts = posts.filter(thread__board__slug=filters.board)
    if filters.device:
        posts = posts.filter(thread__device__codename=filters.device)
    if filters.thread_type:
        posts = posts.filter(thread__thread_type=filters.thread_type)
    if filters.author:
        posts = posts.filter(author__username=filters.author)
    if filters.after:
        posts = posts.filter(created_at__gte=day_start(filters.after))
    if filters.before:
        posts = posts.filter(created_at__lt=day_start(filters.before + timedelta(days=1)))

    if connection.vendor == "postgresql":
        posts = (
            posts.filter(search.PostTextMatch(query))
            .annotate(rank=search.PostTextRank(query))
            .order_by("-rank", "-created_at", "-id")
        )
    else:
        for term in query.terms:
            posts = posts.filter(search_text__icontains=term)
        posts = posts.order_by("-created_at", "-id")
    return posts.select_related("thread__board", "thread__device")


def search_posts(user, query: search.Query, filters: SearchFilters, *, page: int):
    """One page of search results, each post with `title_html` and `snippet` marked.

    A COUNT and one page query, whatever the number of results shown.
    """
    paginator = Paginator(
        search_posts_queryset(user, query, filters), settings.POPCORN["SEARCH_RESULTS_PER_PAGE"]
    )
    result_page = paginator.get_page(page)
    result_page.object_list = list(result_page.object_list)
    for post in result_page.object_list:
        post.title_html = search.highlight(post.thread.title, query)
        post.snippet = search.snippet(post.source, query)
    return result_page


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


def post_revisions(post: Post) -> list[PostRevision]:
    """Earlier versions of a post, newest first."""
    return list(post.revisions.order_by("-created_at", "-id"))


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
