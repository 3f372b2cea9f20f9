"""Thread pages: posts by floor range, pending replies, the latest threads."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from accounts.selectors import shown_medals_prefetch
from forum import caching, permissions
from forum.models import Attachment, Board, Post, Thread, ThreadRead, ThreadVote, ThreadWatch
from forum.permissions import can_moderate
from forum.selectors.likes import mark_liked_by

logger = logging.getLogger(__name__)


def visible_threads(user):
    """Threads everyone may read in the boards this user may see, unordered."""
    return (
        Thread.objects.visible()
        .not_moved()
        .filter(board__in=Board.objects.visible_to(user).values("pk"))
        .select_related("board")
    )


def latest_threads(user, *, limit: int = 10):
    return list(visible_threads(user).order_by("-last_posted_at")[:limit])


def threads_for_viewer(user):
    """Threads with their board, device, the original they duplicate and the release that
    fixed them; `viewer_watching`, `viewer_voted` ("me too") and `viewer_read_floor` (how
    far they have read, None if never) when signed in: no query of their own."""
    threads = Thread.objects.select_related("board", "device", "duplicate_of", "fixed_in_release")
    if not user.is_authenticated:
        return threads
    read_floor = ThreadRead.objects.filter(thread=OuterRef("pk"), user=user)
    read_floor = read_floor.values("last_read_floor")
    return threads.annotate(
        viewer_watching=Exists(ThreadWatch.objects.filter(thread=OuterRef("pk"), user=user)),
        viewer_voted=Exists(ThreadVote.objects.filter(thread=OuterRef("pk"), user=user)),
        viewer_read_floor=Subquery(read_floor[:1]),
    )


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


# What a thread page shows of a post and of its author's card; the Markdown source and
# the search text (the two large columns) and the rest of the member's row stay unread.
PAGE_POST_FIELDS = (
    "id",
    "thread_id",
    "floor",
    "author_id",
    "author_name",
    "html",
    "is_hidden",
    "hidden_by_name",
    "hidden_reason",
    "hidden_at",
    "is_pending",
    "pending_reason",
    "is_helpful",
    "like_count",
    "edit_count",
    "edited_at",
    "created_at",
    "region",
)
PAGE_AUTHOR_FIELDS = (
    "username",
    "display_name",
    "avatar",
    "signature",
    "reputation",
    "post_count",
)


def page_posts(thread: Thread, first: int, last: int) -> QuerySet[Post]:
    """The posts of floors first..last with their authors' cards: the thread page's query.

    One index range scan on (thread, floor) (post_unique_floor) and, for the page's
    twenty-odd authors, a lookup by primary key each in the same statement, so its
    cost does not depend on the thread's length or the number of members
    (tests/forum/test_indexes.py EXPLAINs this very queryset at 100,000 members).
    """
    return (
        Post.objects.filter(thread=thread)
        .floor_range(first, last)
        .select_related("author")
        .only(*PAGE_POST_FIELDS, *(f"author__{name}" for name in PAGE_AUTHOR_FIELDS))
    )


def _load_page_posts(thread: Thread, first: int, last: int) -> list[Post]:
    return list(
        page_posts(thread, first, last)
        # Every attachment of the page in one query, however many posts carry files,
        # and the medals the authors chose to show in one more.
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("pk")),
            shown_medals_prefetch("author"),
        )
    )


def shared_page_posts(thread: Thread, first: int, last: int) -> list[Post]:
    """Floors first..last with their authors (cards, shown medals) and files, shared by
    every reader, signed in or not: from the cache under the thread's page version.

    What they show changes only with what bumps that version (a reply, an edit, a hide,
    a like, a member's profile: forum.caching.thread_scope); the rest of an author's card
    (their level, their post count) is at most PAGE_CACHE_SECONDS old, as on the
    anonymous page. Nothing personal is in it: likes, read position, what the viewer may
    do are added per request. The version is read before the posts, so a page cached
    from rows older than a bump is never read again.
    """
    if not settings.POPCORN["PAGE_POSTS_CACHE"]:
        return _load_page_posts(thread, first, last)
    try:
        version = caching.versions(caching.thread_scope(thread.pk))
        key = f"page-posts:{settings.DEPLOY_VERSION}:{thread.pk}:{first}-{last}:{version}"
        posts = cache.get(key)
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)
        return _load_page_posts(thread, first, last)
    if posts is None:
        posts = _load_page_posts(thread, first, last)
        try:
            # Before post.thread is set: the viewer's thread (with their annotations)
            # is never in the shared copy.
            cache.set(key, posts, settings.POPCORN["PAGE_CACHE_SECONDS"])
        except Exception:
            logger.warning("page cache unavailable", exc_info=True)
    return posts


def thread_post_page(thread: Thread, *, page: int, viewer=None) -> ThreadPage:
    """Posts on one page of a thread, chosen by floor range, not OFFSET.

    Floors are never reused, so page N is floors (N-1)*size+1 .. N*size and the
    (thread, floor) unique index answers it directly, on page 1 or page 500.
    The page's posts, with their authors' cards and files, are the same for every
    reader: they come from the cache (shared_page_posts). With a signed-in viewer,
    each post also says whether they liked it (`liked_by_viewer`), from one more
    query for the whole page.
    """
    size = settings.POPCORN["POSTS_PER_PAGE"]
    page_count = thread.page_count
    number = min(max(1, page), page_count)
    first = (number - 1) * size + 1
    posts = shared_page_posts(thread, first, first + size - 1)
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
    posts = list(
        posts.select_related("author")
        .prefetch_related(shown_medals_prefetch("author"))
        .order_by("created_at", "pk")
    )
    for post in posts:
        post.thread = thread
    return posts


def post_with_thread(post_id: int) -> Post:
    """A post with what its permission checks and notifications read; DoesNotExist if none."""
    return Post.objects.select_related("thread__board", "thread__device", "author").get(pk=post_id)


def floor_page(floor: int) -> int:
    return max(1, -(-floor // settings.POPCORN["POSTS_PER_PAGE"]))


def thread_for_viewer(
    user, pk: int, threads: QuerySet[Thread] | None = None, *, own_hidden: bool = False
) -> Thread:
    """A thread the viewer may see: PermissionDenied for a board they cannot see, else Http404.

    The pages (forum.views) and the API load threads through here, so both answer alike.
    own_hidden: its author may read it too when a moderator hid it (the thread page and
    the addresses leading there, never an action on it).
    """
    if threads is None:
        threads = Thread.objects.select_related("board", "device")
    try:
        thread = threads.get(pk=pk)
    except Thread.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_board(user, thread.board):
        raise PermissionDenied
    # A "Moved" notice always leads on (callers redirect); the target checks its own visibility.
    visible = thread.moved_to_id or permissions.can_view_thread(user, thread)
    if not visible and not (own_hidden and permissions.can_view_own_hidden(user, thread)):
        raise Http404
    return thread


def post_for_viewer(user, post_id: int) -> Post:
    """A post the viewer may read: PermissionDenied for a board they cannot see, else Http404."""
    try:
        post = post_with_thread(post_id)
    except Post.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_board(user, post.thread.board):
        raise PermissionDenied
    if not permissions.can_view_post(user, post):
        raise Http404
    if post.is_hidden and not user.is_staff:
        raise Http404
    return post


def thread_posts(thread: Thread, *, first_floor: int | None = None, last_floor: int | None = None):
    """A thread's posts that have a floor, in a floor range, unordered: the API pages them.

    Hidden posts are in it (shown as hidden); replies awaiting approval (no floor) are
    not. Authors, attachments and the authors' shown medals come with them (3 queries for
    any number of posts).
    """
    posts = Post.objects.filter(thread=thread, floor__isnull=False)
    if first_floor is not None:
        posts = posts.filter(floor__gte=first_floor)
    if last_floor is not None:
        posts = posts.filter(floor__lte=last_floor)
    return posts.select_related("author").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk")),
        shown_medals_prefetch("author"),
    )


def attachment_for_viewer(user, pk: int) -> Attachment:
    """An attached file of a post the viewer may read (post_for_viewer's rule)."""
    attachment = (
        Attachment.objects.select_related("post__thread__board", "post__thread__device")
        .filter(pk=pk, post__isnull=False)
        .first()
    )
    if attachment is None:
        raise Http404
    post = attachment.post
    if not permissions.can_view_board(user, post.thread.board):
        raise PermissionDenied
    # What the page shows may be downloaded: the author of a hidden thread or post sees it.
    if not (
        permissions.can_view_post(user, post) or permissions.can_view_own_hidden(user, post.thread)
    ):
        raise Http404
    if post.is_hidden and not (user.is_staff or permissions.can_view_own_hidden(user, post)):
        raise Http404
    return attachment
