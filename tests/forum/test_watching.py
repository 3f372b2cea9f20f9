"""Watching threads and boards, and auto-watch."""

import pytest
from django.urls import reverse

from forum import services
from forum.models import Board, BoardWatch, ThreadWatch
from tests.factories import BoardFactory, UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def _watchers(thread) -> set[int]:
    return set(ThreadWatch.objects.filter(thread=thread).values_list("user_id", flat=True))


# Watch and unwatch ---------------------------------------------------------------------


def test_watching_a_thread_twice_keeps_one_row_and_unwatching_twice_is_harmless(member, board):
    thread = make_thread(board=board)
    services.thread_watch(user=member, thread=thread)
    services.thread_watch(user=member, thread=thread)
    assert ThreadWatch.objects.filter(user=member, thread=thread).count() == 1
    services.thread_unwatch(user=member, thread=thread)
    services.thread_unwatch(user=member, thread=thread)
    assert not ThreadWatch.objects.filter(user=member, thread=thread).exists()


def test_watching_a_board_twice_keeps_one_row_and_unwatching_twice_is_harmless(member, board):
    services.board_watch(user=member, board=board)
    services.board_watch(user=member, board=board)
    assert BoardWatch.objects.filter(user=member, board=board).count() == 1
    services.board_unwatch(user=member, board=board)
    services.board_unwatch(user=member, board=board)
    assert not BoardWatch.objects.filter(user=member, board=board).exists()


def test_nobody_watches_a_board_they_cannot_see(member):
    from django.core.exceptions import PermissionDenied

    staff_board = BoardFactory(visibility=Board.Visibility.STAFF)
    with pytest.raises(PermissionDenied):
        services.board_watch(user=member, board=staff_board)
    assert not BoardWatch.objects.exists()


def test_thread_watch_button_posts_and_redirects_back_to_the_page(member_client, member, board):
    thread = make_thread(board=board)
    page_2 = thread.get_absolute_url() + "?page=2"
    url = reverse("forum:thread_watch", args=[thread.pk])

    response = member_client.post(url, {"next": page_2})
    assert response.status_code == 302 and response.url == page_2
    assert ThreadWatch.objects.filter(user=member, thread=thread).exists()
    assert member_client.post(url, {"next": "https://evil.example/"}).url == (
        thread.get_absolute_url()
    )

    html = member_client.get(thread.get_absolute_url()).content.decode()
    assert reverse("forum:thread_unwatch", args=[thread.pk]) in html
    member_client.post(reverse("forum:thread_unwatch", args=[thread.pk]))
    assert not ThreadWatch.objects.filter(user=member, thread=thread).exists()


def test_board_watch_button_swaps_in_place_with_htmx(member_client, member, board):
    htmx = {"HTTP_HX_REQUEST": "true"}
    response = member_client.post(
        reverse("forum:board_watch", args=[board.slug]), {"next": board.get_absolute_url()}, **htmx
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith("<form")
    assert 'aria-pressed="true"' in html
    assert f'hx-post="{reverse("forum:board_unwatch", args=[board.slug])}"' in html
    assert f'name="next" value="{board.get_absolute_url()}"' in html
    assert BoardWatch.objects.filter(user=member, board=board).exists()

    response = member_client.post(reverse("forum:board_unwatch", args=[board.slug]), **htmx)
    assert 'aria-pressed="false"' in response.content.decode()
    assert not BoardWatch.objects.filter(user=member, board=board).exists()


def test_the_board_page_shows_whether_i_watch_it(member_client, member, board):
    watch_url = reverse("forum:board_watch", args=[board.slug])
    assert f'action="{watch_url}"' in member_client.get(board.get_absolute_url()).content.decode()
    services.board_watch(user=member, board=board)
    html = member_client.get(board.get_absolute_url()).content.decode()
    assert f'action="{reverse("forum:board_unwatch", args=[board.slug])}"' in html


def test_watch_buttons_need_a_signed_in_post(client, board):
    thread = make_thread(board=board)
    url = reverse("forum:thread_watch", args=[thread.pk])
    assert client.post(url).status_code == 302  # to sign in
    assert "watch" not in client.get(thread.get_absolute_url()).content.decode().lower()
    client.force_login(UserFactory())
    assert client.get(url).status_code == 405
    assert set(_watchers(thread)) == {thread.author_id}


# Auto-watch ----------------------------------------------------------------------------


def test_starting_and_replying_watch_the_thread_when_the_preference_is_on(board):
    starter, replier = UserFactory(), UserFactory()
    thread = make_thread(board=board, author=starter)
    make_reply(thread=thread, author=replier)
    make_reply(thread=thread, author=replier)  # a second reply watches nothing twice
    assert _watchers(thread) == {starter.pk, replier.pk}


def test_auto_watch_off_means_posting_watches_nothing(board):
    starter, replier = UserFactory(auto_watch=False), UserFactory(auto_watch=False)
    thread = make_thread(board=board, author=starter)
    make_reply(thread=thread, author=replier)
    assert _watchers(thread) == set()
