"""Watching threads and boards, auto-watch, and the reply / new-thread fan-out."""

import math
import time

import pytest
from django.db import connection
from django.db.models import Max, Min, Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Notification, NotificationKind, User
from forum import services
from forum.models import Board, BoardWatch, ThreadWatch
from forum.tasks import notify_post_watchers
from tests.factories import BoardFactory, UserFactory, bulk_users, make_reply, make_thread

pytestmark = pytest.mark.django_db


def _watchers(thread) -> set[int]:
    return set(ThreadWatch.objects.filter(thread=thread).values_list("user_id", flat=True))


def _notified(kind) -> dict[int, Notification]:
    return {n.recipient_id: n for n in Notification.objects.filter(kind=kind)}


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


# Fan-out -------------------------------------------------------------------------------


def test_a_reply_notifies_watchers_and_the_starter_once_each_but_not_its_author(
    board, django_capture_on_commit_callbacks
):
    starter = UserFactory()  # watches too, through auto-watch
    quiet_starter = UserFactory(auto_watch=False)
    watcher, replier = UserFactory(), UserFactory()
    thread = make_thread(board=board, author=starter, title="Battery drain")
    other = make_thread(board=board, author=quiet_starter)
    services.thread_watch(user=watcher, thread=thread)
    body = "x" * 250

    with django_capture_on_commit_callbacks(execute=True):
        reply = make_reply(thread=thread, author=replier, body=body)
        make_reply(thread=other, author=replier)

    notified = _notified(NotificationKind.REPLY)
    assert set(notified) == {starter.pk, watcher.pk, quiet_starter.pk}
    assert Notification.objects.filter(recipient=starter).count() == 1
    note = notified[watcher.pk]
    assert note.target_url == f"/t/{thread.pk}/{reply.floor}"
    assert note.target_title == "Battery drain"
    assert note.excerpt == body[:199] + "…"  # cut to 200 characters, as plain text
    assert (note.title_key, note.title_params) == ("forum.reply", {"title": "Battery drain"})
    assert note.actor_id == replier.pk
    assert note.group_key == f"reply:post:{reply.pk}"  # what keeps a redelivery from doubling
    assert User.objects.get(pk=starter.pk).unread_notifications == 1
    assert User.objects.get(pk=replier.pk).unread_notifications == 0


def test_the_fan_out_runs_after_commit_not_inside_the_posting_transaction(
    board, django_capture_on_commit_callbacks
):
    thread = make_thread(board=board)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_reply(thread=thread, follow_up=False)
    assert not Notification.objects.exists()
    # The reply's follow-up task runs after the commit, and queues the fan-out after its own.
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert Notification.objects.filter(recipient=thread.author).count() == 1


def test_a_new_thread_notifies_the_board_watchers_but_not_its_author(
    board, django_capture_on_commit_callbacks
):
    watcher, author = UserFactory(), UserFactory()
    services.board_watch(user=watcher, board=board)
    services.board_watch(user=author, board=board)
    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread(board=board, author=author, title="Android 15 beta")
    notified = _notified(NotificationKind.NEW_THREAD)
    assert set(notified) == {watcher.pk}
    assert notified[watcher.pk].target_url == f"/t/{thread.pk}/1"
    assert not Notification.objects.filter(kind=NotificationKind.REPLY).exists()


def test_watchers_who_cannot_see_the_board_hear_nothing(django_capture_on_commit_callbacks):
    staff_board = BoardFactory(visibility=Board.Visibility.STAFF)
    staff, member = UserFactory(is_staff=True), UserFactory()
    thread = make_thread(board=staff_board, author=staff)
    ThreadWatch.objects.create(user=member, thread=thread)  # watched before the board closed
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread=thread, author=UserFactory(is_staff=True))
    assert set(_notified(NotificationKind.REPLY)) == {staff.pk}


def test_running_the_task_again_adds_no_second_notification_or_count(board):
    thread = make_thread(board=board)
    watcher = UserFactory()
    services.thread_watch(user=watcher, thread=thread)
    reply = make_reply(
        thread=thread, follow_up=False
    )  # callbacks not run: the tasks below stand in for them

    assert notify_post_watchers.delay(reply.pk).get() == 2
    assert notify_post_watchers.delay(reply.pk).get() == 0  # a redelivery
    assert Notification.objects.filter(recipient=watcher).count() == 1
    assert User.objects.get(pk=watcher.pk).unread_notifications == 1


def test_a_reply_in_a_thread_with_10000_watchers_fans_out_in_a_fixed_number_of_queries(board):
    thread = make_thread(board=board)
    watchers = bulk_users(10_000)
    ThreadWatch.objects.bulk_create(ThreadWatch(user=user, thread=thread) for user in watchers)
    replier = UserFactory()
    reply = make_reply(
        thread=thread, author=replier, follow_up=False
    )  # callbacks not run: the task runs below

    # Loading the post, the recipients and the counter UPDATE are a handful of queries; the
    # inserts come in batches (1,000 rows, or what the database takes in one statement).
    notification_fields = [f for f in Notification._meta.concrete_fields if not f.primary_key]
    batch = min(1000, connection.ops.bulk_batch_size(notification_fields, range(10_001)))
    inserts = math.ceil(10_001 / batch)  # the watchers and the starter
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        assert notify_post_watchers.delay(reply.pk).get() == 10_001
    elapsed = time.perf_counter() - started
    print(f"\nfan-out to 10,001 on {connection.vendor}: {len(queries)} queries, {elapsed:.2f}s")
    assert len(queries) <= 8 + inserts

    assert Notification.objects.filter(kind=NotificationKind.REPLY).count() == 10_001
    counters = User.objects.filter(pk__in=[user.pk for user in watchers]).aggregate(
        total=Sum("unread_notifications"),
        low=Min("unread_notifications"),
        high=Max("unread_notifications"),
    )
    assert counters == {"total": 10_000, "low": 1, "high": 1}
    assert not Notification.objects.filter(recipient=replier).exists()
    assert User.objects.get(pk=replier.pk).unread_notifications == 0
