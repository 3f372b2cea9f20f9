"""The signed-in member's session and row from the cache (accounts.user_cache, config.sessions).

Turned on here as with Redis in production (POPCORN["USER_CACHE"], SESSION_ENGINE
config.sessions); the suite's local-memory cache is one process's, which is all a test
needs. Writes bump the member's version after commit, so these tests run the commit
callbacks (django_capture_on_commit_callbacks) where a write must show at once.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from accounts import services as account_services
from accounts.models import User
from accounts.querysets import _pinned_pks
from tests.factories import BoardFactory, UserFactory, long_thread
from tests.forum.test_query_counts import BOARD_PAGE_MEMBER, THREAD_PAGE_MEMBER

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.POPCORN = {**settings.POPCORN, "USER_CACHE": True}
    settings.SESSION_ENGINE = "config.sessions"


def _user(client, url="/"):
    return client.get(url).wsgi_request.user


def test_signed_in_pages_read_neither_the_session_nor_the_user(
    cached, client, member, django_assert_num_queries
):
    board = BoardFactory()
    thread = long_thread(board, 60)
    client.force_login(member)  # the session is written to the database and the cache
    client.get(thread.get_absolute_url())  # the member's row is cached
    # Page 2 moves the read position forward: the page's usual reads and write, without
    # the session's row and the user's (2 fewer), whatever the page.
    with django_assert_num_queries(THREAD_PAGE_MEMBER - 2):
        client.get(thread.get_absolute_url() + "?page=2")
    with django_assert_num_queries(THREAD_PAGE_MEMBER - 2):
        client.get(thread.get_absolute_url() + "?page=3")
    with django_assert_num_queries(BOARD_PAGE_MEMBER - 2):
        client.get(board.get_absolute_url())


def test_a_suspension_takes_effect_on_the_next_request(
    cached, client, member, django_capture_on_commit_callbacks
):
    client.force_login(member)
    assert not _user(client).is_suspended
    assert not _user(client).is_suspended  # now from the cache
    with django_capture_on_commit_callbacks(execute=True):
        account_services.sanction_set(
            user_id=member.pk,
            kind="suspension",
            until=timezone.now() + timedelta(days=3),
            reason="spam",
        )
    assert _user(client).is_suspended
    with django_capture_on_commit_callbacks(execute=True):
        account_services.sanction_lift(user_id=member.pk, kind="suspension")
    assert not _user(client).is_suspended


def test_a_deactivated_or_deleted_member_is_signed_out_at_once(
    cached, client, django_capture_on_commit_callbacks
):
    banned, gone = UserFactory(), UserFactory()
    client.force_login(banned)
    assert _user(client).is_authenticated
    with django_capture_on_commit_callbacks(execute=True):
        banned.is_active = False
        banned.save()
    assert not _user(client).is_authenticated

    client.force_login(gone)
    assert _user(client).is_authenticated
    with django_capture_on_commit_callbacks(execute=True):
        gone.delete()
    assert not _user(client).is_authenticated


def test_a_changed_password_ends_the_other_sessions(
    cached, client, member, django_capture_on_commit_callbacks
):
    client.force_login(member)
    assert _user(client).is_authenticated
    with django_capture_on_commit_callbacks(execute=True):
        member.set_password("a new long passphrase")
        member.save()
    assert not _user(client).is_authenticated
    assert SESSION_KEY not in client.session


def test_counters_written_with_update_show_on_the_next_request(
    cached, client, member, django_capture_on_commit_callbacks
):
    client.force_login(member)
    assert _user(client).unread_notifications == 0
    with django_capture_on_commit_callbacks(execute=True):
        User.objects.filter(pk__in=[member.pk]).update(unread_notifications=3)
    assert _user(client).unread_notifications == 3
    # An update that names no member by key (here a subquery) drops every cached row.
    with django_capture_on_commit_callbacks(execute=True):
        User.objects.filter(pk__in=User.objects.filter(pk=member.pk).values("pk")).update(
            unread_notifications=5
        )
    assert _user(client).unread_notifications == 5
    with django_capture_on_commit_callbacks(execute=True):
        User.objects.bulk_update([User(pk=member.pk, unread_notifications=7)], ["reputation"])
        User.objects.bulk_update(
            [User(pk=member.pk, unread_notifications=7)], ["unread_notifications"]
        )
    assert _user(client).unread_notifications == 7


def test_signing_out_ends_the_session_in_the_cache_too(cached, client, member):
    client.force_login(member)
    assert _user(client).is_authenticated
    client.logout()
    assert not _user(client).is_authenticated


def test_which_members_an_update_names():
    users = User.objects.all()
    assert _pinned_pks(users.filter(pk=3).query) == {3}
    assert _pinned_pks(users.filter(pk=3, unread_notifications__gt=0).query) == {3}
    assert _pinned_pks(users.filter(pk__in=[1, 2]).query) == {1, 2}
    assert _pinned_pks(users.filter(pk__in=users.values("pk")).query) is None
    assert _pinned_pks(users.exclude(pk=3).query) is None
    assert _pinned_pks(users.filter(is_core=True).query) is None
