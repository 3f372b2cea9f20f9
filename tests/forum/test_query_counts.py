"""Query counts of pages and write paths are pinned and do not grow with the rows shown or touched.

Data for long threads is bulk-made (tests/factories.py: floors 1..N, last_floor = N)
rather than through 1,000 service calls: the pages only read it.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from forum import services
from forum.models import (
    Board,
    BoardRead,
    BoardWatch,
    Post,
    PostLike,
    PostRevision,
    Thread,
    ThreadRead,
    ThreadWatch,
)
from tests.factories import (
    BoardFactory,
    DeviceFactory,
    UserFactory,
    bulk_threads,
    bulk_users,
    long_thread,
    make_reply,
    make_thread,
)

pytestmark = pytest.mark.django_db


# Anonymous, cache empty: thread with board and device (1), one floor range of posts with
# their authors (1), the attachments of those posts (1), the medals their authors chose to
# show (1). The view is counted in the cache (forum.services.view_counts): no UPDATE.
THREAD_PAGE_ANON = 4
# Signed in adds the session and the user (2), the verified-email check of the reply form (1),
# the viewer's likes among the posts shown, one id__in query on (post, user) (1), the
# read-position upsert (1), the boards this member moderates (1: can_moderate, cached on
# the user for the request) and their draft of a reply, to fill the form in (1); whether
# they watch the thread rides in the thread query. The view is counted in the cache (was an
# UPDATE of the thread's row: 12 before).
THREAD_PAGE_MEMBER = 11


def test_thread_page_queries_are_the_same_on_page_1_and_page_50(client, django_assert_num_queries):
    thread = long_thread(BoardFactory(), 1000)
    with django_assert_num_queries(THREAD_PAGE_ANON):
        first = client.get(thread.get_absolute_url())
    with django_assert_num_queries(THREAD_PAGE_ANON):
        fiftieth = client.get(thread.get_absolute_url() + "?page=50")
    assert [p.floor for p in first.context["page"].posts] == list(range(1, 21))
    assert [p.floor for p in fiftieth.context["page"].posts] == list(range(981, 1001))


def test_signed_in_thread_page_queries_do_not_grow(client, member, django_assert_num_queries):
    thread = long_thread(BoardFactory(), 1000)
    client.force_login(member)
    with django_assert_num_queries(THREAD_PAGE_MEMBER):
        client.get(thread.get_absolute_url())
    with django_assert_num_queries(THREAD_PAGE_MEMBER):
        client.get(thread.get_absolute_url() + "?page=50")


# board (1) + COUNT (1) + page of threads with devices (1) + the device filter list (1)
# + the board's moderators (1) + site-wide announcements (1)
BOARD_PAGE_ANON = 6


@pytest.mark.parametrize("count", [5, 500])
def test_board_page_queries_do_not_grow_with_threads(client, django_assert_num_queries, count):
    board = BoardFactory()
    bulk_threads(board, count)
    with django_assert_num_queries(BOARD_PAGE_ANON):
        response = client.get(board.get_absolute_url())
    assert len(response.context["page"].object_list) == min(count, 30)
    with django_assert_num_queries(BOARD_PAGE_ANON):
        client.get(board.get_absolute_url() + "?page=10")


# Signed in: the session and the user (2), the board with the viewer's "mark read" time and
# watch flag (1), COUNT (1), the page of threads (1), the viewer's read rows for the threads
# shown (1), the device filter list (1), the verified-email check of "New thread" (1), the
# boards this member moderates (1), the board's moderators (1), site-wide announcements (1).
BOARD_PAGE_MEMBER = 11


@pytest.mark.parametrize("count", [5, 50])
def test_signed_in_board_page_queries_do_not_grow_with_threads(
    client, member, django_assert_num_queries, count
):
    board = BoardFactory()
    bulk_threads(board, count)
    shown = list(Thread.objects.filter(board=board).order_by("-id")[:30])
    ThreadRead.objects.bulk_create(
        ThreadRead(user=member, thread=thread, last_read_floor=1) for thread in shown[::2]
    )
    BoardRead.objects.create(
        user=member, board=board, marked_at=timezone.now() - timedelta(hours=1)
    )
    client.force_login(member)
    with django_assert_num_queries(BOARD_PAGE_MEMBER):
        response = client.get(board.get_absolute_url())
    threads = response.context["page"].object_list
    assert len(threads) == min(count, 30)
    assert sum(t.is_unread for t in threads) == len(threads) - len(shown[::2])
    with django_assert_num_queries(BOARD_PAGE_MEMBER):
        client.get(board.get_absolute_url() + "?page=2")


# sections (1) + their visible boards (1) + latest threads (1) + site-wide announcements (1)
FRONT_PAGE_ANON = 4


@pytest.mark.parametrize("boards", [2, 40])
def test_front_page_queries_do_not_grow_with_boards(client, django_assert_num_queries, boards):
    first = BoardFactory()
    for _ in range(boards - 1):
        BoardFactory(section=first.section)
    make_thread(board=first)
    with django_assert_num_queries(FRONT_PAGE_ANON):
        client.get(reverse("forum:index"))


def test_cached_anonymous_pages_cost_only_their_permission_reads(client, django_assert_num_queries):
    board = BoardFactory()
    thread = long_thread(board, 100)
    client.get(reverse("forum:index"))
    client.get(board.get_absolute_url())
    client.get(thread.get_absolute_url())
    # The key is built before any query (the board's id cached by slug, the boards' version
    # in every key) and the view is counted in the cache: a hit asks the database nothing.
    with django_assert_num_queries(0):
        client.get(reverse("forum:index"))
    with django_assert_num_queries(0):
        client.get(board.get_absolute_url())
    with django_assert_num_queries(0):
        client.get(thread.get_absolute_url())


# The member profile: the member with their devices prefetched (2: the user row, the
# devices), their ten latest threads in boards the viewer may read, with the board (1), and
# their medals with each medal's definition (1).
MEMBER_PROFILE_ANON = 4
# Signed in adds the session and the viewer (2) and the boards the viewer moderates (1: the
# "Moderate" button's moderates_anywhere).
MEMBER_PROFILE_MEMBER = 7


@pytest.mark.parametrize("count", [3, 40])
def test_member_profile_queries_do_not_grow_with_threads_or_devices(
    client, django_assert_num_queries, count
):
    member = UserFactory()
    member.devices.add(*DeviceFactory.create_batch(min(count, 8)))
    bulk_threads(BoardFactory(), count, author=member)
    url = reverse("forum:member", kwargs={"username": member.username})
    with django_assert_num_queries(MEMBER_PROFILE_ANON):
        response = client.get(url)
    assert len(response.context["recent_threads"]) == min(count, 10)
    client.force_login(UserFactory())
    with django_assert_num_queries(MEMBER_PROFILE_MEMBER):
        client.get(url)


# Who liked a post: the post with its thread and board, for the permission check (1),
# COUNT of its likes (1), one page of likes with their users (1).
LIKERS_PAGE = 3


@pytest.mark.parametrize("count", [3, 40])
def test_likers_page_queries_do_not_grow_with_likes(client, django_assert_num_queries, count):
    post = make_thread().posts.get(floor=1)
    PostLike.objects.bulk_create(PostLike(post=post, user=user) for user in bulk_users(count))
    url = reverse("forum:post_likers", args=[post.pk])
    with django_assert_num_queries(LIKERS_PAGE):
        response = client.get(url)
    assert len(response.context["page"].object_list) == min(count, 30)
    with django_assert_num_queries(LIKERS_PAGE):
        client.get(url + "?page=2")


# A post's edit history, to its author: the session and the user (2), the post with its
# thread and board (1), all its revisions (1; each is rendered in Python, no query),
# and the header's "where does this member moderate" for the queue links (1).
REVISIONS_PAGE = 5


@pytest.mark.parametrize("count", [3, 40])
def test_revisions_page_queries_do_not_grow_with_revisions(
    client, django_assert_num_queries, count
):
    author = UserFactory()
    post = make_reply(thread=make_thread(), author=author)
    PostRevision.objects.bulk_create(
        PostRevision(post=post, editor=author, editor_name=author.username, old_source=f"v{i}")
        for i in range(count)
    )
    client.force_login(author)
    with django_assert_num_queries(REVISIONS_PAGE):
        response = client.get(reverse("forum:post_revisions", args=[post.pk]))
    assert len(response.context["revisions"]) == count


# --- Write paths -------------------------------------------------------------------------
# Measured in the service call, inside the test's transaction: what runs after commit
# (the watchers' fan-out task, cache version bumps) is queued there, not done here, so the
# thread's length and its watchers add nothing. Posting limits are off in the suite and the
# cache is local memory, so no query comes from them. Each actor acts for the first time
# today (their daily-activity row is made: an UPDATE that finds nothing, then the INSERT).

# post_reply: the board row, for the permission check (1), the author's verified email (1),
# the boards they moderate (1), the outer savepoint (1); the thread UPDATE taking the next
# floor and reading it back in the same statement (1, UPDATE ... RETURNING: the only row
# locked); delete the author's draft of this reply (1); INSERT the post (1); release the
# outer savepoint (1). Everything else the reply causes is its follow-up task's, after the
# commit (REPLY_FOLLOW_UP).
POST_REPLY = 8
# The reply through its HTTP endpoint: the session and the user (2), the thread with its
# board (1), the author's verified email (1), the boards they moderate (1), the savepoint
# (1), the floor's UPDATE ... RETURNING (1), the draft's DELETE (1), the post's INSERT (1),
# release (1). In
# production the transaction is the request's own (BEGIN/COMMIT are no queries here), and
# the follow-up task is queued through the outbox: its INSERT before the commit and its
# DELETE once the broker took it (2), so 10 there too: at most 10, the budget.
REPLY_REQUEST = 10
# The follow-up (forum.reply_follow_up, after the commit): its savepoint (1), claim it on
# the post (1), the
# post with its thread, board and author (1), the thread's row locked before the board's,
# as moderation takes them (1), its search text (1); the board's total (1)
# and last post, if this one is the latest (1); the author's post count (1), an invitation
# this post activates (1), daily activity: UPDATE (1), savepoint, INSERT, release (3);
# reputation: savepoint (1), the author's row (1), today's points for replies against the
# daily cap (1), savepoint, INSERT the entry, release (3), the author's total (1), release
# (1); the author's read position upsert (1); the author watches the thread (1); release
# (1). The watchers' fan-out is its own task, queued from here.
REPLY_FOLLOW_UP = 24
# thread_create: the author's verified email (1), the outer savepoint (1), INSERT the thread
# and its first post (2), the author's draft of it deleted (1), board and author counters
# (2), an invitation this activates (1),
# daily activity: UPDATE, savepoint, INSERT, release (4); reputation: savepoints (2), INSERT
# the entry (1), releases (2), the author's total (1) (threads have no daily cap to read);
# the read position upsert (1), the watch (1), release the outer savepoint (1).
THREAD_CREATE = 21
# post_like: the outer savepoint (1); INSERT the like inside its own savepoint (3); the post's
# like_count (1); reputation for the post's author: savepoints (2), INSERT the entry (1),
# releases (2), their total (1); the liker's daily activity: UPDATE, savepoint, INSERT,
# release (4); the author's likes_received (1, their row exists: they posted today); the
# grouped like notification: savepoint (1), UPDATE an unread one for this post (1, none
# here), savepoint, INSERT, release (3), the author's unread counter (1), release (1);
# release the outer savepoint (1).
POST_LIKE = 24


@pytest.mark.parametrize("count", [3, 40])
def test_post_reply_queries_do_not_grow_with_the_thread_or_its_watchers(
    django_assert_num_queries, count
):
    board = BoardFactory()
    thread = long_thread(board, count)
    ThreadWatch.objects.bulk_create(
        ThreadWatch(user=user, thread=thread) for user in bulk_users(count)
    )
    author = UserFactory()
    with django_assert_num_queries(POST_REPLY):
        post = services.post_reply(thread=thread, author=author, body="Same here on 14.0.3.")
    assert post.floor == count + 1
    assert Thread.objects.get(pk=thread.pk).reply_count == count
    before = Board.objects.get(pk=board.pk).post_count  # bulk replies are not counted on it
    with django_assert_num_queries(REPLY_FOLLOW_UP):
        assert services.reply_follow_up(post_id=post.pk)
    assert Board.objects.get(pk=board.pk).post_count == before + 1
    # Delivered twice, it does nothing the second time: a claim that finds nothing (1),
    # inside its savepoint and release (2).
    with django_assert_num_queries(3):
        assert not services.reply_follow_up(post_id=post.pk)


@pytest.mark.parametrize("count", [3, 40])
def test_a_reply_through_its_endpoint_stays_within_ten_queries(
    client, django_assert_num_queries, count
):
    board = BoardFactory()
    thread = long_thread(board, count)
    ThreadWatch.objects.bulk_create(
        ThreadWatch(user=user, thread=thread) for user in bulk_users(count)
    )
    author = UserFactory()
    client.force_login(author)
    with django_assert_num_queries(REPLY_REQUEST):
        response = client.post(
            reverse("forum:reply", kwargs={"pk": thread.pk}), {"body": "Same here on 14.0.3."}
        )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{count + 1}")
    assert Post.objects.get(thread=thread, floor=count + 1).followed_up is False


@pytest.mark.parametrize("count", [3, 40])
def test_thread_create_queries_do_not_grow_with_the_board_or_its_watchers(
    django_assert_num_queries, count
):
    board = BoardFactory()
    bulk_threads(board, count)
    BoardWatch.objects.bulk_create(BoardWatch(user=user, board=board) for user in bulk_users(count))
    author = UserFactory()
    # The watched words and bans are compiled and cached by the site's first post (the
    # threads above were bulk-written); a cached check reads no table.
    account_services.text_screen({})
    with django_assert_num_queries(THREAD_CREATE):
        thread = services.thread_create(
            board=board, author=author, title="Battery drain after 14.0.4", body="Same as before."
        )
    assert thread.posts.get().floor == 1
    assert Thread.objects.filter(board=board).count() == count + 1


@pytest.mark.parametrize("count", [3, 40])
def test_post_like_queries_do_not_grow_with_the_likes(django_assert_num_queries, count):
    thread = make_thread()
    post = Post.objects.select_related("thread__board", "author").get(thread=thread, floor=1)
    PostLike.objects.bulk_create(PostLike(post=post, user=user) for user in bulk_users(count))
    Post.objects.filter(pk=post.pk).update(like_count=count)
    liker = UserFactory()
    with django_assert_num_queries(POST_LIKE):
        services.post_like(post=post, user=liker)
    assert Post.objects.get(pk=post.pk).like_count == count + 1


def test_reading_a_page_again_writes_nothing(client, member, django_assert_num_queries):
    """The read position is written only when it moves forward: the thread's own query
    says how far the member had read, so page 1 after page 3, or page 3 again, costs the
    page's reads and no write."""
    thread = long_thread(BoardFactory(), 60)
    client.force_login(member)
    client.get(thread.get_absolute_url() + "?page=3")
    assert ThreadRead.objects.get(user=member, thread=thread).last_read_floor == 60
    for again in ("?page=3", "?page=1"):
        with django_assert_num_queries(THREAD_PAGE_MEMBER - 1) as reads:
            client.get(thread.get_absolute_url() + again)
        assert not any(q["sql"].startswith(("INSERT", "UPDATE")) for q in reads.captured_queries)
    assert ThreadRead.objects.get(user=member, thread=thread).last_read_floor == 60
