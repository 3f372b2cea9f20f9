"""Hiding is a soft delete: counters leave exactly and come back exactly, and only
moderators still see the content, greyed, with who hid it and why."""

import pytest
from django.contrib.messages import get_messages

from accounts.models import Notification
from forum import services as forum_services
from forum.models import Post, Thread
from moderation.models import AuditLog
from tests.moderation.world import counters, post_action_url, snapshot, thread_action_url

pytestmark = pytest.mark.django_db


def recount(user) -> tuple[int, int]:
    """What a member's (thread_count, post_count) should be, counted from rows."""
    threads = Thread.objects.filter(author=user, is_hidden=False, moved_to__isnull=True)
    posts = Post.objects.filter(
        author=user, is_hidden=False, thread__is_hidden=False, thread__moved_to__isnull=True
    )
    return threads.count(), posts.count()


def assert_repair_path_agrees(world):
    """The F() fast path left what a full recount from rows gives."""
    threads = list(Thread.objects.order_by("pk"))
    fast = counters(world.board_a, world.board_a2, *threads)
    for thread in threads:
        forum_services.thread_sync_counters(thread=thread)
    for board in (world.board_a, world.board_a2):
        forum_services.board_sync_counters(board=board)
    assert counters(world.board_a, world.board_a2, *threads) == fast
    for user in (world.author, world.member):
        user.refresh_from_db()
        assert (user.thread_count, user.post_count) == recount(user)


def test_hiding_and_restoring_a_thread_puts_every_counter_back_exactly(client, world):
    # Board A: 2 threads, 4 posts. author: 1 thread, 2 posts. member: 1 thread, 2 posts.
    start = counters(world.board_a, world.thread, world.author, world.member)
    assert start == [(2, 4), (2, 3), (1, 2), (1, 2)]
    client.force_login(world.mod_a)

    client.post(thread_action_url(world.thread, "hide"), {"reason": "Duplicate of #12"})
    assert counters(world.board_a, world.thread, world.author, world.member) == [
        (1, 1),  # the other thread and its one post
        (2, 3),  # the hidden thread keeps its own replies
        (0, 0),
        (1, 1),  # member's reply in the hidden thread no longer counts
    ]
    assert_repair_path_agrees(world)

    client.post(thread_action_url(world.thread, "restore"), {"reason": "Not a duplicate"})
    assert counters(world.board_a, world.thread, world.author, world.member) == start
    assert_repair_path_agrees(world)


def test_hiding_and_restoring_a_post_puts_every_counter_back_exactly(client, world):
    start = counters(world.board_a, world.thread, world.author)
    client.force_login(world.mod_a)

    client.post(post_action_url(world.reply, "hide"), {"reason": "Personal data in the log"})
    assert counters(world.board_a, world.thread, world.author) == [(2, 3), (1, 3), (1, 1)]
    assert_repair_path_agrees(world)

    client.post(post_action_url(world.reply, "restore"), {})
    assert counters(world.board_a, world.thread, world.author) == start
    assert_repair_path_agrees(world)


def test_a_post_hidden_inside_a_hidden_thread_is_not_taken_twice(client, world):
    start = counters(world.board_a, world.thread, world.author, world.member)
    client.force_login(world.mod_a)
    client.post(thread_action_url(world.thread, "hide"), {"reason": "Spam wave"})
    client.post(post_action_url(world.reply, "hide"), {"reason": "Spam"})
    assert counters(world.board_a, world.thread, world.author, world.member) == [
        (1, 1),
        (1, 3),
        (0, 0),
        (1, 1),
    ]
    client.post(thread_action_url(world.thread, "restore"), {})
    assert counters(world.board_a, world.thread, world.author, world.member) == [
        (2, 3),
        (1, 3),
        (1, 1),  # the reply is still hidden
        (1, 2),
    ]
    assert_repair_path_agrees(world)
    client.post(post_action_url(world.reply, "restore"), {})
    assert counters(world.board_a, world.thread, world.author, world.member) == start


def test_hiding_the_last_post_gives_the_thread_back_its_previous_last_activity(client, world):
    last = world.thread.posts.order_by("-floor").first()
    before = Post.objects.get(thread=world.thread, floor=last.floor - 1)
    client.force_login(world.mod_a)
    client.post(post_action_url(last, "hide"), {"reason": "Spam"})
    world.thread.refresh_from_db()
    assert world.thread.last_posted_at == before.created_at
    assert world.thread.last_poster_name == before.author_name


def test_hidden_thread_is_greyed_for_its_moderators_with_who_and_why(client, world):
    client.force_login(world.mod_a)
    client.post(thread_action_url(world.thread, "hide"), {"reason": "Duplicate of #12"})

    html = client.get(world.thread.get_absolute_url()).content.decode()
    assert "hidden-thread" in html and "Hidden by mod_a" in html and "Duplicate of #12" in html
    board_html = client.get(world.board_a.get_absolute_url()).content.decode()
    row = board_html[board_html.index(world.thread.title) - 800 :]
    assert "hidden-thread" in row and "Duplicate of #12" in row

    for viewer in (world.member, world.author, world.mod_b):
        client.force_login(viewer)
        if viewer != world.author:  # its author reads it still (tests/forum/test_hidden_own.py)
            assert client.get(world.thread.get_absolute_url()).status_code == 404
        listing = client.get(world.board_a.get_absolute_url()).content.decode()
        assert world.thread.title not in listing
    client.logout()
    assert client.get(world.thread.get_absolute_url()).status_code == 404


def test_hidden_post_shows_to_moderators_and_a_placeholder_to_others(client, world):
    client.force_login(world.mod_a)
    client.post(post_action_url(world.reply, "hide"), {"reason": "Personal data in the log"})

    html = client.get(world.thread.get_absolute_url()).content.decode()
    assert "Log attached below." in html and "Hidden by mod_a" in html
    assert "Personal data in the log" in html

    client.force_login(world.member)
    html = client.get(world.thread.get_absolute_url()).content.decode()
    assert "Log attached below." not in html and "Personal data" not in html
    assert "This post has been hidden by a moderator." in html


def test_the_author_is_told_with_the_reason(client, world):
    client.force_login(world.mod_a)
    client.post(post_action_url(world.reply, "hide"), {"reason": "Personal data in the log"})
    notice = Notification.objects.get(recipient=world.author, kind="moderation")
    assert notice.excerpt == "Personal data in the log"
    assert notice.actor_name == "mod_a"
    assert notice.target_url == world.reply.get_permalink()
    world.author.refresh_from_db()
    assert world.author.unread_notifications == 1


def test_a_hide_writes_one_audit_row_with_before_and_after(client, world):
    client.force_login(world.mod_a)
    client.post(thread_action_url(world.thread, "hide"), {"reason": "Duplicate"})
    client.post(thread_action_url(world.thread, "restore"), {"reason": "Mistake"})
    hide, restore = AuditLog.objects.order_by("pk").filter(target_type="thread")
    assert (hide.action, hide.before, hide.after) == (
        "thread_hide",
        {"is_hidden": False},
        {"is_hidden": True},
    )
    assert hide.board_id == world.board_a.pk and hide.ip == "127.0.0.1"
    assert hide.reason == "Duplicate" and hide.actor_name == "mod_a"
    assert restore.before == {"is_hidden": True, "hidden_by": "mod_a", "reason": "Duplicate"}
    assert restore.after == {"is_hidden": False}


def test_hiding_needs_a_reason_and_the_opening_post_is_hidden_with_its_thread(client, world):
    client.force_login(world.mod_a)
    rows = snapshot()
    response = client.post(post_action_url(world.reply, "hide"), {"reason": "  "})
    assert response.status_code == 302
    assert "Say why" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    opening = world.thread.posts.get(floor=1)
    response = client.post(post_action_url(opening, "hide"), {"reason": "Spam"})
    assert "hide the thread" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert snapshot() == rows


def test_nothing_is_deleted_by_hiding(client, world):
    posts, threads = Post.objects.count(), Thread.objects.count()
    client.force_login(world.staff)
    client.post(post_action_url(world.reply, "hide"), {"reason": "x"})
    client.post(thread_action_url(world.thread, "hide"), {"reason": "x"})
    assert (Post.objects.count(), Thread.objects.count()) == (posts, threads)
