"""Page query counts are pinned and do not grow with the page number or the rows shown.

Data for long threads is bulk-made (tests/factories.py: floors 1..N, last_floor = N)
rather than through 1,000 service calls: the pages only read it.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.models import BoardRead, Thread, ThreadRead
from tests.factories import BoardFactory, bulk_threads, long_thread, make_thread

pytestmark = pytest.mark.django_db


# Anonymous, cache empty: thread with board and device (1), the view counter UPDATE (1),
# one floor range of posts with their authors (1), the attachments of those posts (1).
THREAD_PAGE_ANON = 4
# Signed in adds the session and the user (2), the verified-email check of the reply form (1),
# the viewer's likes among the posts shown, one id__in query on (post, user) (1), the
# read-position upsert (1) and the boards this member moderates (1: can_moderate, cached on
# the user for the request); whether they watch the thread rides in the thread query.
THREAD_PAGE_MEMBER = 10


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
    with django_assert_num_queries(0):
        client.get(reverse("forum:index"))
    with django_assert_num_queries(1):  # the board row, for its permission check
        client.get(board.get_absolute_url())
    with django_assert_num_queries(2):  # the thread row + the view counter
        client.get(thread.get_absolute_url())
