"""Unread tracking: read positions, unread markers, jump to first unread, mark board read."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forum import services
from forum.models import Board, BoardRead, Thread, ThreadRead
from tests.factories import BoardFactory, UserFactory, bulk_replies, make_reply, make_thread

pytestmark = pytest.mark.django_db


def _thread_with_floors(board, floors: int, *, author=None) -> Thread:
    """A thread of `floors` posts; floors past the first are bulk-made (pages only read them)."""
    thread = make_thread(board=board, author=author or UserFactory())
    bulk_replies(thread, floors - 1)
    return thread


def _read_floor(user, thread) -> int | None:
    return (
        ThreadRead.objects.filter(user=user, thread=thread)
        .values_list("last_read_floor", flat=True)
        .first()
    )


def _listing(client, board) -> dict[str, Thread]:
    response = client.get(board.get_absolute_url())
    return {t.title: t for t in response.context["page"].object_list}


def _age(*threads, hours: int = 1) -> None:
    Thread.objects.filter(pk__in=[t.pk for t in threads]).update(
        last_posted_at=timezone.now() - timedelta(hours=hours)
    )


# Reading a thread moves the read position forward only ---------------------------------


def test_reading_page_2_moves_the_read_floor_and_page_1_afterwards_does_not_move_it_back(
    member_client, member, board
):
    thread = _thread_with_floors(board, 30)  # 20 a page: page 2 is floors 21..30

    member_client.get(thread.get_absolute_url() + "?page=2")
    assert _read_floor(member, thread) == 30

    with CaptureQueriesContext(connection) as page_1:
        member_client.get(thread.get_absolute_url())
    assert _read_floor(member, thread) == 30
    # Not even an upsert: the thread's query says how far they read, and page 1 is behind it.
    writes = [q["sql"] for q in page_1.captured_queries if q["sql"].startswith("INSERT")]
    assert writes == []


def test_the_read_upsert_is_one_statement_that_keeps_the_higher_floor(member, board):
    thread = _thread_with_floors(board, 30)
    with CaptureQueriesContext(connection) as first:
        services.thread_mark_read(user=member, thread=thread, floor=20)
    with CaptureQueriesContext(connection) as lower:
        services.thread_mark_read(user=member, thread=thread, floor=5)
    assert _read_floor(member, thread) == 20
    services.thread_mark_read(user=member, thread=thread, floor=30)
    assert _read_floor(member, thread) == 30
    assert len(first.captured_queries) == 1 and len(lower.captured_queries) == 1
    assert ThreadRead.objects.filter(user=member, thread=thread).count() == 1


def test_anonymous_reading_records_nothing(client, board):
    thread = _thread_with_floors(board, 3)
    before = list(ThreadRead.objects.values_list("user_id", "last_read_floor"))  # the author's
    client.get(thread.get_absolute_url())
    assert list(ThreadRead.objects.values_list("user_id", "last_read_floor")) == before


def test_authors_have_read_their_own_posts(board):
    starter, replier = UserFactory(), UserFactory()
    thread = make_thread(board=board, author=starter)
    reply = make_reply(thread=thread, author=replier)
    assert _read_floor(starter, thread) == 1
    assert _read_floor(replier, thread) == reply.floor == 2


# Unread markers on the board page ------------------------------------------------------


def test_board_page_marks_new_threads_and_counts_new_posts_in_read_ones(
    member_client, member, board
):
    read_then_replied = make_thread(board=board, title="Read, then two replies")
    read_fully = make_thread(board=board, title="Read fully")
    make_thread(board=board, title="Never opened")
    member_client.get(read_then_replied.get_absolute_url())
    member_client.get(read_fully.get_absolute_url())
    make_reply(thread=read_then_replied)
    make_reply(thread=read_then_replied)

    threads = _listing(member_client, board)
    assert threads["Read, then two replies"].is_unread
    assert threads["Read, then two replies"].unread_count == 2
    assert not threads["Read fully"].is_unread
    assert threads["Never opened"].is_unread
    assert threads["Never opened"].unread_count is None

    html = member_client.get(board.get_absolute_url()).content.decode()
    unread_url = reverse("forum:thread_unread", args=[read_then_replied.pk])
    assert f'href="{unread_url}"' in html and ">2 new</a>" in html
    assert html.count('class="unread-mark"') == 2


def test_anonymous_board_page_has_no_markers_and_is_still_served_from_the_cache(
    client, member, board, django_assert_num_queries
):
    make_thread(board=board, title="Something new")
    client.force_login(member)
    assert 'class="unread-mark"' in client.get(board.get_absolute_url()).content.decode()

    client.logout()
    first = client.get(board.get_absolute_url()).content.decode()
    with django_assert_num_queries(0):  # the board's id cached by slug, then the page
        cached = client.get(board.get_absolute_url()).content.decode()
    for html in (first, cached):
        assert "Something new" in html
        assert "unread-mark" not in html and "Mark board read" not in html


def test_signed_in_board_pages_are_never_served_from_the_cache(client, member, board):
    thread = make_thread(board=board, title="Fresh")
    client.force_login(member)
    assert _listing(client, board)["Fresh"].is_unread
    client.get(thread.get_absolute_url())
    assert not _listing(client, board)["Fresh"].is_unread


# Jump to first unread ------------------------------------------------------------------


def test_jump_to_first_unread_goes_to_the_floor_after_the_read_position(
    member_client, member, board
):
    thread = _thread_with_floors(board, 25)
    unread = reverse("forum:thread_unread", args=[thread.pk])

    never_read = member_client.get(unread)
    assert never_read.url == reverse("forum:floor", args=[thread.pk, 1])

    member_client.get(thread.get_absolute_url())  # page 1: floors 1..20
    response = member_client.get(unread, follow=True)
    assert response.redirect_chain[0][0] == reverse("forum:floor", args=[thread.pk, 21])
    assert response.redirect_chain[-1][0] == thread.get_absolute_url() + "?page=2#floor-21"


def test_jump_to_first_unread_with_nothing_unread_goes_to_the_last_floor(
    member_client, member, board
):
    thread = _thread_with_floors(board, 5)
    services.thread_mark_read(user=member, thread=thread, floor=5)
    response = member_client.get(reverse("forum:thread_unread", args=[thread.pk]))
    assert response.url == reverse("forum:floor", args=[thread.pk, 5])


def test_jump_to_first_unread_checks_who_may_see_the_thread(member_client):
    staff_board = BoardFactory(visibility=Board.Visibility.STAFF)
    thread = make_thread(board=staff_board, author=UserFactory(is_staff=True))
    response = member_client.get(reverse("forum:thread_unread", args=[thread.pk]))
    assert response.status_code == 403


# Mark board read -----------------------------------------------------------------------


def test_mark_board_read_treats_older_threads_as_read_until_new_activity(
    member_client, member, board
):
    partly_read = _thread_with_floors(board, 10)
    services.thread_mark_read(user=member, thread=partly_read, floor=3)
    quiet = make_thread(board=board, title="Quiet")
    busy = make_thread(board=board, title="Busy")
    _age(partly_read, quiet, busy)
    assert all(t.is_unread for t in _listing(member_client, board).values())

    response = member_client.post(reverse("forum:board_mark_read", args=[board.slug]))
    assert response.status_code == 302 and response.url == board.get_absolute_url()
    assert not any(t.is_unread for t in _listing(member_client, board).values())

    make_reply(thread=busy)
    threads = _listing(member_client, board)
    assert threads["Busy"].is_unread and not threads["Quiet"].is_unread


def test_marking_a_board_read_again_moves_the_mark_in_the_same_row(member, board):
    services.board_mark_read(user=member, board=board)
    first = BoardRead.objects.get(user=member, board=board).marked_at
    services.board_mark_read(user=member, board=board)
    assert BoardRead.objects.filter(user=member, board=board).count() == 1
    assert BoardRead.objects.get(user=member, board=board).marked_at >= first


def test_mark_board_read_needs_a_post_from_someone_who_may_see_the_board(member_client):
    board = BoardFactory()
    url = reverse("forum:board_mark_read", args=[board.slug])
    assert Client().post(url).status_code == 302  # anonymous: to sign in
    assert member_client.get(url).status_code == 405
    staff_board = BoardFactory(visibility=Board.Visibility.STAFF)
    assert (
        member_client.post(reverse("forum:board_mark_read", args=[staff_board.slug])).status_code
        == 403
    )
    assert not BoardRead.objects.exists()
