"""Anonymous pages are cached whole and never go stale: services bump versions."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from forum.models import Board
from tests.factories import BoardFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def test_a_reply_shows_at_once_on_the_cached_thread_board_and_front_pages(
    client, django_capture_on_commit_callbacks
):
    board = BoardFactory()
    thread = make_thread(board=board, title="Cached thread")
    for url in [thread.get_absolute_url(), board.get_absolute_url(), reverse("forum:index")]:
        client.get(url)  # fill the cache

    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread=thread, body="a brand-new reply")

    assert "a brand-new reply" in client.get(thread.get_absolute_url()).content.decode()
    board_page = client.get(board.get_absolute_url())
    assert board_page.context["page"].object_list[0].reply_count == 1
    index = client.get(reverse("forum:index"))
    assert index.context["sections"][0].visible_boards[0].post_count == 2


def test_without_a_bump_the_cached_page_is_served(client):
    # Proves the cache really serves pages (so the test above is meaningful).
    board = BoardFactory()
    thread = make_thread(board=board)
    client.get(thread.get_absolute_url())
    make_reply(thread=thread, body="written without on_commit running", follow_up=False)
    assert "written without on_commit" not in client.get(thread.get_absolute_url()).content.decode()


def test_signed_in_members_never_get_the_anonymous_copy(client, member):
    board = BoardFactory()
    thread = make_thread(board=board)
    client.get(thread.get_absolute_url())
    client.force_login(member)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert 'id="reply-form"' in html and member.username in html


def test_a_new_thread_shows_on_the_cached_board_page(client, django_capture_on_commit_callbacks):
    board = BoardFactory()
    client.get(board.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        make_thread(board=board, title="Fresh release notes")
    assert "Fresh release notes" in client.get(board.get_absolute_url()).content.decode()


def test_pages_render_when_the_cache_is_down(client, monkeypatch):
    board = BoardFactory(visibility=Board.Visibility.EVERYONE)
    thread = make_thread(board=board)

    def broken(*args, **kwargs):
        raise ConnectionError("cache is down")

    for name in ["get", "get_many", "set", "set_many", "incr"]:
        monkeypatch.setattr(cache, name, broken)
    assert client.get(thread.get_absolute_url()).status_code == 200
    assert client.get(board.get_absolute_url()).status_code == 200


def test_a_new_deploy_never_serves_the_last_ones_pages(client, settings):
    thread = make_thread(board=BoardFactory())
    client.get(thread.get_absolute_url())
    make_reply(thread=thread, body="written without on_commit running")
    # The same deploy serves its cached copy (test above); the next one renders anew.
    settings.DEPLOY_VERSION = "next-release"
    assert "written without on_commit" in client.get(thread.get_absolute_url()).content.decode()


def test_a_cached_anonymous_page_asks_the_database_nothing(client, django_assert_num_queries):
    board = BoardFactory()
    thread = make_thread(board=board, title="Read by many")
    for url in [thread.get_absolute_url(), board.get_absolute_url(), reverse("forum:index")]:
        client.get(url)  # fill the cache
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200


def test_a_thread_view_is_counted_without_writing_the_thread(client, django_assert_num_queries):
    from forum import services
    from forum.models import Thread

    services.thread_views_fold()  # views other tests counted, on threads gone since
    Thread.objects.update(view_count=0)
    thread = make_thread(title="Counted later")
    client.get(thread.get_absolute_url())
    with django_assert_num_queries(0):
        client.get(thread.get_absolute_url())
    assert Thread.objects.get(pk=thread.pk).view_count == 0
    services.thread_views_fold()
    assert Thread.objects.get(pk=thread.pk).view_count == 2


def test_a_board_turned_private_drops_its_cached_pages(client, django_capture_on_commit_callbacks):
    board = BoardFactory()
    thread = make_thread(board=board)
    assert client.get(board.get_absolute_url()).status_code == 200
    assert client.get(thread.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        board.visibility = Board.Visibility.MEMBERS
        board.save()
    assert client.get(board.get_absolute_url()).status_code in (302, 403)
    assert client.get(thread.get_absolute_url()).status_code in (302, 403)
