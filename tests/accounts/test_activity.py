"""Daily activity: a visit written once per member per day, posts and likes counted per day."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import DailyActivity, User
from accounts.services import visit_record
from forum import services as forum_services
from forum.models import PostLike
from tests.factories import UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


def _signed_in(client, user):
    # Not force_login: signing in records a visit itself, and this test wants the page to.
    session = client.session
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.save()
    client.cookies["sessionid"] = session.session_key
    return client


def test_first_request_of_the_day_writes_the_row_and_later_ones_write_nothing(client, board):
    member = UserFactory()
    _signed_in(client, member)
    url = board.get_absolute_url()
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    assert len(_writes(first.captured_queries)) == 2  # the user row, the day's row
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200
    assert _writes(second.captured_queries) == []
    rows = DailyActivity.objects.filter(user=member)
    assert [(r.day, r.visited) for r in rows] == [(timezone.localdate(), True)]
    member.refresh_from_db()
    assert member.days_visited == 1
    assert member.last_seen_at is not None


def test_second_request_costs_no_query_for_recording(client, board, django_assert_num_queries):
    member = UserFactory()
    _signed_in(client, member)
    url = reverse("accounts:notifications")
    client.get(url)
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    # Same page again: recording adds nothing, so the count is the page's own.
    with django_assert_num_queries(len(warm.captured_queries)):
        client.get(url)
    assert not any("dailyactivity" in q["sql"] for q in warm.captured_queries)


def test_signing_in_counts_as_the_visit(client):
    member = UserFactory()
    client.force_login(member)
    assert DailyActivity.objects.filter(user=member, visited=True).count() == 1
    member.refresh_from_db()
    assert member.days_visited == 1


def test_a_new_day_is_a_new_visit():
    member = UserFactory()
    now = timezone.now()
    assert visit_record(user_id=member.pk, now=now - timedelta(days=1)) is True
    assert visit_record(user_id=member.pk, now=now) is True
    assert visit_record(user_id=member.pk, now=now) is False
    member.refresh_from_db()
    assert member.days_visited == 2
    assert DailyActivity.objects.filter(user=member).count() == 2


def test_the_database_guard_holds_without_the_cache(settings):
    """Even with the cache forgetting, the conditional UPDATE keeps it once a day."""
    member = UserFactory()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert visit_record(user_id=member.pk) is True
    assert visit_record(user_id=member.pk) is False
    member.refresh_from_db()
    assert member.days_visited == 1


def test_pages_render_and_visits_are_recorded_once_when_the_cache_is_down(client, board, settings):
    member = UserFactory()
    _signed_in(client, member)
    settings.CACHES = {"default": {"BACKEND": "tests.broken_cache.BrokenCache"}}
    for _ in range(3):
        assert client.get(board.get_absolute_url()).status_code == 200
        assert client.get(reverse("accounts:notifications")).status_code == 200
    member.refresh_from_db()
    assert member.days_visited == 1
    assert DailyActivity.objects.filter(user=member, visited=True).count() == 1


def test_anonymous_requests_record_nothing(client, board):
    client.get(board.get_absolute_url())
    assert DailyActivity.objects.count() == 0


def test_posts_and_threads_are_counted_on_the_day(board):
    author = UserFactory()
    thread = make_thread(board=board, author=author)
    make_reply(thread=thread, author=author)
    make_reply(thread=thread, author=author)
    row = DailyActivity.objects.get(user=author, day=timezone.localdate())
    assert (row.posts, row.threads, row.visited) == (3, 1, True)


def test_likes_are_counted_for_giver_and_receiver_and_taken_back_on_their_day(board):
    author, fan = UserFactory(), UserFactory()
    thread = make_thread(board=board, author=author)
    post = thread.posts.select_related("thread__board", "author").get(floor=1)
    assert forum_services.post_like(post=post, user=fan)
    assert not forum_services.post_like(post=post, user=fan)  # a double click counts once
    today = timezone.localdate()
    given = DailyActivity.objects.get(user=fan, day=today)
    received = DailyActivity.objects.get(user=author, day=today)
    assert (given.likes_given, given.visited) == (1, True)
    assert received.likes_received == 1

    # Liked yesterday, taken back today: yesterday's counts go down, today's are untouched.
    yesterday = today - timedelta(days=1)
    PostLike.objects.filter(post=post, user=fan).update(
        created_at=timezone.now() - timedelta(days=1)
    )
    DailyActivity.objects.create(user=fan, day=yesterday, likes_given=1)
    DailyActivity.objects.create(user=author, day=yesterday, likes_received=1, visited=False)
    assert forum_services.post_unlike(post=post, user=fan)
    assert DailyActivity.objects.get(user=fan, day=yesterday).likes_given == 0
    assert DailyActivity.objects.get(user=author, day=yesterday).likes_received == 0
    assert DailyActivity.objects.get(user=fan, day=today).likes_given == 1


def test_a_like_received_is_not_a_visit_until_the_member_comes(board):
    author, fan = UserFactory(), UserFactory()
    thread = make_thread(board=board, author=author)
    DailyActivity.objects.filter(user=author).delete()
    User.objects.filter(pk=author.pk).update(last_seen_at=None)
    post = thread.posts.select_related("thread__board", "author").get(floor=1)
    forum_services.post_like(post=post, user=fan)
    row = DailyActivity.objects.get(user=author)
    assert (row.visited, row.likes_received) == (False, 1)
    assert visit_record(user_id=author.pk) is True
    row.refresh_from_db()
    assert (row.visited, row.likes_received) == (True, 1)
