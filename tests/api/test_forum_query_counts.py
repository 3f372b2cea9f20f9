"""Every forum list of the API answers in a fixed number of queries: 2 rows or 10,
anonymous or signed in (a token costs its session and user, the same every time)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Device
from forum import services
from forum.models import Thread
from tests.api.conftest import token_client
from tests.factories import (
    BoardFactory,
    SectionFactory,
    UserFactory,
    bulk_replies,
    bulk_threads,
    make_thread,
)

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


def _same_for_2_and_10(client, make_world) -> int:
    small_url = make_world(2)
    large_url = make_world(10)
    _queries(client, small_url)  # warm: content types, sites, first-use caches
    small, large = _queries(client, small_url), _queries(client, large_url)
    assert small == large, f"{small} queries for 2 rows, {large} for 10"
    return small


@pytest.fixture(params=["anonymous", "member"])
def caller(request, api):
    return api if request.param == "anonymous" else token_client(UserFactory())


# Each world builder makes `n` rows for the list and returns its URL.


def _sections(n):
    for _ in range(n):
        BoardFactory(section=SectionFactory())
    return "/api/v1/sections/"


def _board_threads(n):
    board = BoardFactory()
    bulk_threads(board, n)
    return f"/api/v1/boards/{board.slug}/threads/?sort=activity"


def _board_threads_filtered(n):
    board = BoardFactory()
    device = Device.objects.create(brand="Xiaomi", model=f"M{n}", codename=f"dev-{n}")
    for thread in bulk_threads(board, n):
        Thread.objects.filter(pk=thread.pk).update(device=device, firmware_version="14.0.3")
    return f"/api/v1/boards/{board.slug}/threads/?device={device.codename}&firmware_version=14.0.3"


def _latest_threads(n):
    bulk_threads(BoardFactory(), n)
    return "/api/v1/threads/?page_size=100"


def _announcements(n):
    board = BoardFactory()
    for thread in bulk_threads(board, n):
        Thread.objects.filter(pk=thread.pk).update(is_announcement=True)
    return "/api/v1/announcements/?page_size=100"


def _devices(n):
    for i in range(n):
        Device.objects.create(brand="Xiaomi", model=f"{n}-{i}", codename=f"d{n}-{i}")
    return "/api/v1/devices/?page_size=100"


def _thread_posts(n):
    thread = make_thread(board=BoardFactory())
    bulk_replies(thread, n - 1, authors=[UserFactory(), UserFactory()])
    return f"/api/v1/threads/{thread.pk}/posts/"


def _likers(n):
    thread = make_thread(board=BoardFactory())
    post = thread.posts.get(floor=1)
    for _ in range(n):
        services.post_like(post=post, user=UserFactory())
    return f"/api/v1/posts/{post.pk}/likers/"


def _search(n):
    board = BoardFactory()
    author = UserFactory()
    for i in range(n):
        make_thread(board=board, author=author, title=f"耗电 {n} {i}", body=f"battery {n}")
    return f"/api/v1/search/?q=battery&board={board.slug}"


LISTS = {
    "sections": _sections,
    "board threads": _board_threads,
    "board threads by device and firmware": _board_threads_filtered,
    "latest threads": _latest_threads,
    "announcements": _announcements,
    "devices": _devices,
    "thread posts": _thread_posts,
    "likers": _likers,
    "search": _search,
}

# Pinned: anonymous / signed in. A token costs 3 (allauth's session lookup is two, then
# the user), plus the member's own state. A change says which query came or went, and why.
EXPECTED = {
    # the sections, their boards
    "sections": (2, 5),
    # the board, its threads; signed in: the moderation reach (hidden threads?) and
    # the caller's read positions
    "board threads": (2, 7),
    "board threads by device and firmware": (2, 7),
    "latest threads": (1, 4),
    "announcements": (1, 4),
    "devices": (1, 4),
    # the thread, its posts with authors, their files, the authors' shown medals; signed in:
    # likes, moderation reach
    "thread posts": (4, 9),
    # the post, its likers with members
    "likers": (2, 5),
    # the boards and devices the filters may name, the ranked page
    "search": (3, 6),
}


@pytest.mark.parametrize("name", LISTS)
def test_list_queries_do_not_grow_with_rows(name, caller, api):
    count = _same_for_2_and_10(caller, LISTS[name])
    anonymous, signed_in = EXPECTED[name]
    assert count == (anonymous if caller is api else signed_in)


def test_revisions_queries_do_not_grow_with_rows():
    author = UserFactory()
    client = token_client(author)

    def world(n):
        thread = make_thread(board=BoardFactory(), author=author)
        post = thread.posts.get(floor=1)
        for i in range(n):
            services.post_edit(post=post, editor=author, body=f"edit {i}")
        return f"/api/v1/posts/{post.pk}/revisions/"

    assert _same_for_2_and_10(client, world) == 5  # token 3, the post, the page
