"""Hot and top threads: the score's order, the job's idempotency, who sees what, query pins."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum import services
from forum.models import Board, Thread
from forum.tasks import rescore_hot_threads
from moderation import services as moderation_services
from tests.factories import BoardFactory, StaffFactory, UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def _liked(thread, likes: int):
    opening = thread.posts.get(floor=1)
    for _ in range(likes):
        services.post_like(post=opening, user=UserFactory())


def _age(thread, hours: float):
    then = timezone.now() - timedelta(hours=hours)
    Thread.objects.filter(pk=thread.pk).update(created_at=then, last_posted_at=then)


def test_a_fresh_liked_thread_beats_an_old_busier_one(client):
    board = BoardFactory()
    old = make_thread(board=board, title="Old and busy")
    for _ in range(3):
        make_reply(thread=old)
    _liked(old, 3)
    _age(old, 24 * 5)
    fresh = make_thread(board=board, title="Fresh and liked")
    _liked(fresh, 2)
    services.threads_rescore_hot()
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert fresh.hot_score > old.hot_score > 0
    assert old.like_total == 3
    page = client.get(reverse("forum:hot")).content.decode()
    assert page.index("Fresh and liked") < page.index("Old and busy")


def test_threads_outside_the_window_drop_to_zero():
    thread = make_thread()
    services.threads_rescore_hot()
    thread.refresh_from_db()
    assert thread.hot_score > 0
    _age(thread, 24 * 40)
    services.threads_rescore_hot()
    thread.refresh_from_db()
    assert thread.hot_score == 0


def test_running_the_job_twice_writes_the_same_scores():
    board = BoardFactory()
    threads = [make_thread(board=board, title=f"T{i}") for i in range(3)]
    _liked(threads[1], 2)
    now = timezone.now()
    services.threads_rescore_hot(now=now)
    first = list(Thread.objects.order_by("pk").values_list("pk", "hot_score", "like_total"))
    services.threads_rescore_hot(now=now)
    second = list(Thread.objects.order_by("pk").values_list("pk", "hot_score", "like_total"))
    assert first == second
    assert rescore_hot_threads() == 3


def test_the_job_is_one_set_based_pass(django_assert_max_num_queries):
    board = BoardFactory()
    for i in range(5):
        make_thread(board=board, title=f"T{i}")
    with django_assert_max_num_queries(6):
        services.threads_rescore_hot()


def test_top_of_the_day_counts_likes_and_replies_of_threads_started_today(client):
    board = BoardFactory()
    quiet = make_thread(board=board, title="Quiet today")
    loud = make_thread(board=board, title="Loud today")
    make_reply(thread=loud)
    _liked(loud, 1)
    last_week = make_thread(board=board, title="From last week")
    _liked(last_week, 5)
    _age(last_week, 24 * 3)
    services.threads_rescore_hot()
    page = client.get(reverse("forum:hot") + "?period=day").content.decode()
    assert page.index("Loud today") < page.index("Quiet today")
    assert "From last week" not in page
    assert "From last week" in client.get(reverse("forum:hot") + "?period=week").content.decode()
    assert quiet.pk


def test_hidden_threads_and_unseen_boards_are_left_out(client):
    staff_board = BoardFactory(visibility=Board.Visibility.STAFF)
    members_board = BoardFactory(visibility=Board.Visibility.MEMBERS)
    make_thread(board=staff_board, title="Staff secret", author=StaffFactory())
    make_thread(board=members_board, title="Members only")
    hidden = make_thread(title="Hidden one")
    moderation_services.thread_hide(thread=hidden, actor=StaffFactory(), reason="spam")
    make_thread(title="Public one")
    services.threads_rescore_hot()
    url = reverse("forum:hot")
    anonymous = client.get(url).content.decode()
    assert "Public one" in anonymous
    assert "Members only" not in anonymous and "Staff secret" not in anonymous
    assert "Hidden one" not in anonymous
    client.force_login(UserFactory())
    member = client.get(url).content.decode()
    assert "Members only" in member and "Staff secret" not in member
    assert client.get(reverse("forum:board_hot", args=[staff_board.slug])).status_code == 403
    client.force_login(StaffFactory())
    staff = client.get(url).content.decode()
    assert "Staff secret" in staff and "Hidden one" not in staff


def test_a_board_hot_page_lists_only_that_board(client):
    board, other = BoardFactory(), BoardFactory()
    make_thread(board=board, title="Here")
    make_thread(board=other, title="Elsewhere")
    services.threads_rescore_hot()
    page = client.get(reverse("forum:board_hot", args=[board.slug])).content.decode()
    assert "Here" in page and "Elsewhere" not in page


@pytest.mark.parametrize("page", ["9223372036854775808", "10001", "99999999999"])
def test_a_page_far_past_the_end_is_an_empty_page(client, page):
    make_thread(title="Only one")
    services.threads_rescore_hot()
    response = client.get(reverse("forum:hot"), {"page": page})
    assert response.status_code == 200 and "Only one" not in response.content.decode()
    assert client.get(reverse("forum:hot")).content.decode().count("Only one") == 1


@pytest.mark.parametrize("period", ["", "week"])
def test_hot_pages_query_counts_do_not_grow(client, django_assert_num_queries, period, settings):
    settings.POPCORN = {**settings.POPCORN, "HOT": {**settings.POPCORN["HOT"], "PER_PAGE": 5}}
    board = BoardFactory()
    for i in range(3):
        make_thread(board=board, title=f"Small {i}")
    services.threads_rescore_hot()
    member = UserFactory()
    client.force_login(member)
    url = reverse("forum:hot") + (f"?period={period}" if period else "")
    client.get(url)
    with django_assert_num_queries(4) as small:
        client.get(url)
    for i in range(12):
        make_thread(board=board, title=f"More {i}")
    services.threads_rescore_hot()
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url + ("&" if period else "?") + "page=2")


def test_the_api_lists_hot_and_top_threads(client):
    board = BoardFactory()
    make_thread(board=board, title="Api hot")
    services.threads_rescore_hot()
    body = client.get("/api/v1/threads/hot/").json()
    assert [t["title"] for t in body["results"]] == ["Api hot"]
    assert client.get(f"/api/v1/threads/hot/?period=day&board={board.slug}").status_code == 200
    assert client.get("/api/v1/threads/hot/?period=year").status_code == 400
    assert client.get("/api/v1/threads/hot/?board=nope").status_code == 404
    staff_board = BoardFactory(visibility=Board.Visibility.STAFF)
    assert client.get(f"/api/v1/threads/hot/?board={staff_board.slug}").status_code in (403, 404)
