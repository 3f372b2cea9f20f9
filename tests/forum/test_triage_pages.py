"""The triage pages (who sees them, what they rank) and the pinned query counts of the
pages triage adds or changes, at 3 and 40 rows."""

import pytest
from django.urls import reverse

from forum import services
from forum.models import Thread, ThreadType, ThreadVote
from moderation import services as moderation_services
from tests.factories import (
    BoardFactory,
    DeviceFactory,
    StaffFactory,
    UserFactory,
    bulk_threads,
    bulk_users,
    make_thread,
)
from tests.forum.test_query_counts import THREAD_PAGE_ANON, THREAD_PAGE_MEMBER

pytestmark = pytest.mark.django_db


def _bugs(board, count: int, *, device, versions=("V14.0.3.0",)) -> list[Thread]:
    """`count` open bugs; bug i has i+1 "me too" from `device`, on the versions in turn."""
    threads = bulk_threads(board, count)
    Thread.objects.filter(pk__in=[t.pk for t in threads]).update(thread_type=ThreadType.BUG)
    voters = bulk_users(count)
    ThreadVote.objects.bulk_create(
        ThreadVote(
            thread=thread,
            user=voters[n],
            device=device,
            firmware_version=versions[n % len(versions)],
        )
        for i, thread in enumerate(threads)
        for n in range(i + 1)
    )
    services.votes_sync_all()
    return threads


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_members_and_visitors_do_not_see_the_triage_pages(client, who):
    device = DeviceFactory(codename="shennong")
    if who == "member":
        client.force_login(UserFactory())
    for url in (reverse("forum:triage"), reverse("forum:triage_device", args=[device.codename])):
        assert client.get(url).status_code == 403


def test_a_board_moderator_sees_the_triage_pages(client, board):
    moderator = UserFactory()
    moderation_services.moderator_add(user=moderator, board=board, actor=StaffFactory())
    client.force_login(moderator)
    assert client.get(reverse("forum:triage")).status_code == 200


def test_the_triage_page_ranks_open_bugs_by_me_too_on_the_device_and_version(client, board):
    device, other = DeviceFactory(codename="fuxi"), DeviceFactory(codename="ishtar")
    staff = StaffFactory()
    hot = make_thread(board=board, thread_type=ThreadType.BUG, title="Hot")
    warm = make_thread(board=board, thread_type=ThreadType.BUG, title="Warm")
    fixed = make_thread(board=board, thread_type=ThreadType.BUG, title="Fixed one")
    for _ in range(3):
        services.thread_vote(thread=hot, user=UserFactory(), device=device, firmware_version="V1.1")
    for version in ("V1.1", "V1.2"):
        services.thread_vote(
            thread=warm, user=UserFactory(), device=device, firmware_version=version
        )
    for _ in range(5):  # many hits, on another device: not counted here
        services.thread_vote(thread=warm, user=UserFactory(), device=other)
    services.thread_vote(thread=fixed, user=UserFactory(), device=device, firmware_version="V1.1")
    moderation_services.thread_set_bug_status(
        thread=fixed, actor=staff, status="fixed", fixed_in_version="V1.2"
    )
    client.force_login(staff)
    response = client.get(reverse("forum:triage_device", args=["fuxi"]))
    assert [(t.title, t.hits) for t in response.context["bugs"]] == [("Hot", 3), ("Warm", 2)]
    versions = {(r["firmware_version"], r["hits"], r["bugs"]) for r in response.context["versions"]}
    assert versions == {("V1.1", 4, 2), ("V1.2", 1, 1)}
    response = client.get(
        reverse("forum:triage_device", args=["fuxi"]), {"firmware_version": "V1.2"}
    )
    assert [(t.title, t.hits) for t in response.context["bugs"]] == [("Warm", 1)]
    html = client.get(reverse("forum:triage")).content.decode()
    assert reverse("forum:triage_device", args=["fuxi"]) in html
    assert client.get(reverse("forum:triage_device", args=["nope"])).status_code == 404


# Query counts -------------------------------------------------------------------------

# Staff signed in: the session and the user (2), the device (1), the counts per version (1),
# the most-hit open bugs with their boards (1).
TRIAGE_DEVICE_PAGE = 5
# The session and the user (2), the hits per device (1), those devices (1).
TRIAGE_INDEX_PAGE = 4


@pytest.mark.parametrize("rows", [3, 40])
def test_triage_pages_queries_do_not_grow_with_bugs(client, django_assert_num_queries, rows):
    device = DeviceFactory(codename="aristotle")
    versions = [f"V14.0.{n}.0" for n in range(rows)]
    _bugs(BoardFactory(), rows, device=device, versions=versions)
    client.force_login(StaffFactory())
    with django_assert_num_queries(TRIAGE_DEVICE_PAGE):
        response = client.get(reverse("forum:triage_device", args=["aristotle"]))
    assert len(response.context["bugs"]) == rows
    assert len(response.context["versions"]) == rows
    hits = [t.hits for t in response.context["bugs"]]
    assert hits == sorted(hits, reverse=True) and hits[0] == rows
    with django_assert_num_queries(TRIAGE_INDEX_PAGE):
        client.get(reverse("forum:triage"))


# The board page sorted by votes with a status filter: the same queries as its listing
# (tests/forum/test_query_counts.py BOARD_PAGE_ANON): board, COUNT, the page of threads,
# the device list, the moderators, announcements.
BOARD_PAGE_ANON = 6


@pytest.mark.parametrize("rows", [3, 40])
def test_board_sorted_by_votes_queries_do_not_grow(client, django_assert_num_queries, rows):
    board = BoardFactory()
    _bugs(board, rows, device=DeviceFactory())
    url = board.get_absolute_url() + "?sort=votes&status=bug-open"
    with django_assert_num_queries(BOARD_PAGE_ANON):
        response = client.get(url)
    counts = [t.vote_count for t in response.context["page"].object_list]
    assert counts == sorted(counts, reverse=True) and len(counts) == min(rows, 30)


# A member on a bug report: tests/forum/test_query_counts.py THREAD_PAGE_MEMBER (their
# "me too" rides in the thread query) + the device list of the "me too" form (1).
BUG_PAGE_MEMBER = THREAD_PAGE_MEMBER + 1


@pytest.mark.parametrize("rows", [3, 40])
def test_bug_page_queries_do_not_grow_with_me_too(client, django_assert_num_queries, rows):
    DeviceFactory()
    bug = make_thread(board=BoardFactory(), thread_type=ThreadType.BUG, title="Real bug")
    ThreadVote.objects.bulk_create(ThreadVote(thread=bug, user=u) for u in bulk_users(rows))
    services.thread_sync_vote_count(thread=bug)
    client.force_login(UserFactory())
    with django_assert_num_queries(BUG_PAGE_MEMBER):
        response = client.get(bug.get_absolute_url())
    assert f"<strong>{rows}</strong>" in response.content.decode()


# Anonymous on release notes: tests/forum/test_query_counts.py THREAD_PAGE_ANON + the
# bugs the release fixes (1).
RELEASE_PAGE_ANON = THREAD_PAGE_ANON + 1


@pytest.mark.parametrize("rows", [3, 40])
def test_release_page_queries_do_not_grow_with_fixed_bugs(client, django_assert_num_queries, rows):
    board = BoardFactory()
    release = make_thread(
        board=board, author=StaffFactory(), thread_type=ThreadType.RELEASE, title="V2 notes"
    )
    bugs = _bugs(board, rows, device=DeviceFactory())
    Thread.objects.filter(pk__in=[b.pk for b in bugs]).update(
        bug_status="fixed", fixed_in_version="V14.0.5.0", fixed_in_release=release
    )
    with django_assert_num_queries(RELEASE_PAGE_ANON):
        response = client.get(release.get_absolute_url())
    assert len(response.context["fixed_bugs"]) == rows


# Similar threads: the session-less visitor's matching opening posts with thread, board
# and device (1; the visible boards ride in it as a subquery).
SIMILAR = 1


@pytest.mark.parametrize("rows", [3, 40])
def test_similar_threads_query_count_is_fixed(client, django_assert_num_queries, rows):
    board = BoardFactory()
    for n in range(min(rows, 6)):
        make_thread(board=board, title=f"Bluetooth drops {n}", device=DeviceFactory())
    bulk_threads(board, rows)
    with django_assert_num_queries(SIMILAR):
        response = client.get(reverse("forum:similar_threads"), {"title": "bluetooth"})
    assert len(response.context["threads"]) == min(rows, 5)
