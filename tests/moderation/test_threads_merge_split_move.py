"""Merging, splitting and moving keep every post, leave floors 1..N without gaps in
time order, and leave counters equal to a recount from rows."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from forum import services as forum_services
from forum.models import Post, Thread
from moderation import services
from moderation.models import AuditLog
from tests.factories import UserFactory, make_reply, make_thread
from tests.moderation.world import counters, snapshot, thread_action_url

pytestmark = pytest.mark.django_db


def floors(thread) -> list[tuple[int, str]]:
    return list(thread.posts.order_by("floor").values_list("floor", "source"))


def at(minutes: int):
    return timezone.now() - timedelta(days=1) + timedelta(minutes=minutes)


def interleaved(board):
    """Two threads whose posts alternate in time: source at 0,2,4 and target at 1,3,5."""
    fan, other = UserFactory(username="fan"), UserFactory(username="other")
    source = make_thread(board=board, author=fan, title="Source", body="s0")
    target = make_thread(board=board, author=other, title="Target", body="t1")
    make_reply(thread=source, author=other, body="s2")
    make_reply(thread=target, author=fan, body="t3")
    make_reply(thread=source, author=fan, body="s4")
    make_reply(thread=target, author=other, body="t5")
    for minutes, body in enumerate(["s0", "t1", "s2", "t3", "s4", "t5"]):
        Post.objects.filter(source=body).update(created_at=at(minutes))
    return source, target, fan, other


def test_merge_keeps_every_post_in_time_order_with_gapless_floors(client, world):
    source, target, fan, other = interleaved(world.board_a)
    posts_before = set(Post.objects.values_list("pk", flat=True))
    users_before = counters(fan, other)
    client.force_login(world.mod_a)

    response = client.post(
        thread_action_url(source, "merge"), {"target": target.pk, "leave_notice": "on"}
    )

    assert response.status_code == 302 and response["Location"] == target.get_absolute_url()
    assert floors(target) == [
        (1, "s0"),
        (2, "t1"),
        (3, "s2"),
        (4, "t3"),
        (5, "s4"),
        (6, "t5"),
    ]
    assert set(Post.objects.values_list("pk", flat=True)) == posts_before
    assert not source.posts.exists()
    target.refresh_from_db()
    assert (target.reply_count, target.last_floor) == (5, 6)
    # The source's starter no longer has a thread of their own; every post still counts.
    assert counters(fan, other) == [
        (users_before[0][0] - 1, users_before[0][1]),
        users_before[1],
    ]
    # A new reply takes the next floor: last_floor was recounted.
    assert make_reply(thread=target).floor == 7


def test_merged_thread_becomes_a_notice_that_redirects(client, world):
    source, target, *_ = interleaved(world.board_a)
    client.force_login(world.mod_a)
    client.post(thread_action_url(source, "merge"), {"target": target.pk, "leave_notice": "on"})
    client.force_login(world.member)

    response = client.get(source.get_absolute_url())
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == target.get_absolute_url()
    board_html = client.get(world.board_a.get_absolute_url()).content.decode()
    assert "Moved" in board_html and reverse("forum:thread_short", args=[target.pk]) in board_html
    assert client.post(reverse("forum:reply", args=[source.pk]), {"body": "hi"}).status_code == 403


def test_merge_without_a_notice_hides_the_old_thread_from_the_listing(client, world):
    source, target, *_ = interleaved(world.board_a)
    client.force_login(world.mod_a)
    client.post(thread_action_url(source, "merge"), {"target": target.pk})
    source.refresh_from_db()
    assert source.is_hidden and source.moved_to_id == target.pk
    client.force_login(world.member)
    listing = client.get(world.board_a.get_absolute_url()).content.decode()
    assert ">Source<" not in listing


def test_merge_across_boards_recounts_both_boards(client, world):
    source = make_thread(board=world.board_a2, author=world.member, title="Over there")
    make_reply(thread=source, author=world.author)
    client.force_login(world.mod_a)
    a, a2 = counters(world.board_a, world.board_a2)

    client.post(thread_action_url(source, "merge"), {"target": world.thread.pk})

    assert counters(world.board_a, world.board_a2) == [(a[0], a[1] + 2), (a2[0] - 1, a2[1] - 2)]
    fast = counters(world.board_a, world.board_a2)
    forum_services.board_sync_counters(board=world.board_a)
    forum_services.board_sync_counters(board=world.board_a2)
    assert counters(world.board_a, world.board_a2) == fast


def test_split_moves_the_chosen_posts_and_leaves_both_threads_gapless(client, world):
    thread = make_thread(board=world.board_a, author=world.author, body="p1")
    replier = UserFactory(username="replier")
    posts = {1: thread.posts.get()}
    for n in range(2, 7):
        posts[n] = make_reply(thread=thread, author=replier if n in (3, 5) else None, body=f"p{n}")
    everyone = set(Post.objects.values_list("pk", flat=True))
    board_before = counters(world.board_a)[0]
    replier_before = counters(replier)[0]
    client.force_login(world.mod_a)

    response = client.post(
        thread_action_url(thread, "split"),
        {"title": "Camera logs", "posts": [posts[5].pk, posts[3].pk, posts[6].pk]},
    )

    new = Thread.objects.get(title="Camera logs")
    assert response["Location"] == new.get_absolute_url()
    assert floors(new) == [(1, "p3"), (2, "p5"), (3, "p6")]
    assert floors(thread) == [(1, "p1"), (2, "p2"), (3, "p4")]
    assert set(Post.objects.values_list("pk", flat=True)) == everyone
    # The earliest chosen post opens the new thread: its author is the starter.
    assert (new.author_id, new.author_name) == (replier.pk, "replier")
    assert new.board_id == thread.board_id
    assert counters(thread, new) == [(2, 3), (2, 3)]
    assert counters(world.board_a) == [(board_before[0] + 1, board_before[1])]
    assert counters(replier) == [(replier_before[0] + 1, replier_before[1])]
    assert make_reply(thread=thread).floor == 4 and make_reply(thread=new).floor == 4


def test_split_may_take_the_opening_post(client, world):
    client.force_login(world.mod_a)
    opening = world.thread.posts.get(floor=1)
    data = {"title": "Original report", "posts": [opening.pk]}
    client.post(thread_action_url(world.thread, "split"), data)
    assert floors(world.thread) == [(1, "Log attached below."), (2, "Same on mine.")]
    assert floors(Thread.objects.get(title="Original report")) == [(1, "It drains.")]


def test_split_refuses_taking_every_post_or_posts_of_another_thread(client, world):
    client.force_login(world.mod_a)
    rows = snapshot()
    every = list(world.thread.posts.values_list("pk", flat=True))
    response = client.post(thread_action_url(world.thread, "split"), {"title": "X", "posts": every})
    assert "Leave at least one post" in " ".join(
        str(m) for m in get_messages(response.wsgi_request)
    )
    foreign = world.other.posts.get().pk
    client.post(thread_action_url(world.thread, "split"), {"title": "X", "posts": [foreign]})
    assert snapshot() == rows


def test_merge_and_split_write_audit_rows_with_before_and_after(client, world):
    client.force_login(world.mod_a)
    client.post(
        thread_action_url(world.thread, "split"), {"title": "Logs", "posts": [world.reply.pk]}
    )
    split = AuditLog.objects.get(action="thread_split")
    new = Thread.objects.get(title="Logs")
    assert split.before == {"post_ids": [world.reply.pk], "floors": [2]}
    assert split.after == {"new_thread_id": new.pk, "title": "Logs", "posts": 1}

    client.post(thread_action_url(new, "merge"), {"target": world.thread.pk, "reason": "Same"})
    merge = AuditLog.objects.get(action="thread_merge")
    assert merge.target_id == new.pk and merge.reason == "Same"
    assert merge.before == {"thread_id": new.pk, "posts": 1, "board_id": world.board_a.pk}
    assert merge.after["merged_into"] == world.thread.pk and merge.after["posts"] == 3
    assert floors(world.thread) == [
        (1, "It drains."),
        (2, "Log attached below."),
        (3, "Same on mine."),
    ]


def test_move_carries_counters_and_leaves_a_notice_that_redirects(client, world):
    a, a2 = counters(world.board_a, world.board_a2)
    client.force_login(world.mod_a)

    client.post(
        thread_action_url(world.thread, "move"),
        {"to_board": world.board_a2.pk, "leave_notice": "on", "reason": "Not a bug"},
    )

    world.thread.refresh_from_db()
    assert world.thread.board_id == world.board_a2.pk
    assert counters(world.board_a, world.board_a2) == [(a[0] - 1, a[1] - 3), (a2[0] + 1, a2[1] + 3)]
    notice = Thread.objects.get(board=world.board_a, moved_to=world.thread)
    client.force_login(world.member)
    assert client.get(notice.get_absolute_url())["Location"] == reverse(
        "forum:thread_short", args=[world.thread.pk]
    )
    log = AuditLog.objects.get(action="thread_move")
    assert log.before == {"board_id": world.board_a.pk, "board": world.board_a.name}
    assert log.after == {
        "board_id": world.board_a2.pk,
        "board": world.board_a2.name,
        "notice_id": notice.pk,
    }


def test_moving_a_thread_back_retires_its_old_notice(client, world):
    client.force_login(world.mod_a)
    client.post(
        thread_action_url(world.thread, "move"),
        {"to_board": world.board_a2.pk, "leave_notice": "on"},
    )
    client.post(thread_action_url(world.thread, "move"), {"to_board": world.board_a.pk})
    notice = Thread.objects.get(moved_to=world.thread)
    assert notice.board_id == world.board_a.pk and notice.is_hidden
    assert counters(world.board_a, world.board_a2) == [(2, 4), (0, 0)]


def test_move_without_a_notice_leaves_nothing_behind(client, world):
    client.force_login(world.mod_a)
    client.post(thread_action_url(world.thread, "move"), {"to_board": world.board_a2.pk})
    assert not Thread.objects.filter(moved_to=world.thread).exists()


def test_merge_floors_survive_postgresqls_row_by_row_unique_check(world):
    # Target floors 1..3 and source floors 1..3 collide on every step of a naive renumber.
    source = make_thread(board=world.board_a, author=world.member, body="late 1")
    make_reply(thread=source, body="late 2")
    make_reply(thread=source, body="late 3")

    services.thread_merge(source=source, target=world.thread, actor=world.staff)
    assert [f for f, _ in floors(world.thread)] == [1, 2, 3, 4, 5, 6]


def test_watchers_of_a_merged_thread_watch_the_target(world, django_capture_on_commit_callbacks):
    source, target, fan, other = interleaved(world.board_a)
    watcher = UserFactory()
    forum_services.thread_watch(thread=source, user=watcher)
    services.thread_merge(source=source, target=target, actor=world.staff)
    watching = set(target.watches.values_list("user__username", flat=True))
    # fan and other watch both already (auto-watch): no duplicate rows, and the watcher joins.
    assert watching == {fan.username, other.username, watcher.username}
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread=target, author=other, body="after the merge")
    assert watcher.notifications.filter(kind="reply").exists()
