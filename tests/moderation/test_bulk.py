"""Bulk actions from the board page: all or nothing, one audit row per thread,
and only ever for the board's moderators."""

import pytest
from django.contrib.messages import get_messages

from forum.models import Thread
from moderation.models import AuditLog
from tests.factories import make_thread
from tests.moderation.world import bulk_url, counters, snapshot, thread_action_url

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_moderators_see_checkboxes_and_the_action_bar_others_never(client, world):
    client.force_login(world.mod_a)
    html = client.get(world.board_a.get_absolute_url()).content.decode()
    assert 'id="bulk-form"' in html and f'name="threads" value="{world.thread.pk}"' in html
    assert world.board_a2.name in html[html.index('id="bulk-form"') :]  # a move target
    for viewer in (world.member, world.author, world.mod_b):
        client.force_login(viewer)
        html = client.get(world.board_a.get_absolute_url()).content.decode()
        assert 'id="bulk-form"' not in html and 'name="threads"' not in html
    client.logout()
    assert 'id="bulk-form"' not in client.get(world.board_a.get_absolute_url()).content.decode()


def test_bulk_lock_locks_each_thread_with_one_audit_row_each(client, world):
    client.force_login(world.mod_a)
    response = client.post(
        bulk_url(world.board_a),
        {"action": "lock", "threads": [world.thread.pk, world.other.pk], "reason": "Heated"},
    )
    assert response.status_code == 302 and "Lock: 2 threads" in _messages(response)
    assert set(Thread.objects.filter(is_locked=True).values_list("pk", flat=True)) == {
        world.thread.pk,
        world.other.pk,
    }
    rows = AuditLog.objects.filter(action="thread_lock").order_by("target_id")
    assert [r.target_id for r in rows] == sorted([world.thread.pk, world.other.pk])
    assert all(r.reason == "Heated" and r.board_id == world.board_a.pk for r in rows)


def test_bulk_move_carries_counters_with_each_thread(client, world):
    client.force_login(world.mod_a)
    ids = [world.thread.pk, world.other.pk]
    data = {"action": "move", "threads": ids, "to_board": world.board_a2.pk}
    client.post(bulk_url(world.board_a), data)
    assert counters(world.board_a, world.board_a2) == [(0, 0), (2, 4)]
    assert AuditLog.objects.filter(action="thread_move").count() == 2


def test_bulk_hide_needs_a_reason_then_restore_puts_everything_back(client, world):
    client.force_login(world.mod_a)
    start = snapshot()
    ids = [world.thread.pk, world.other.pk]
    response = client.post(bulk_url(world.board_a), {"action": "hide", "threads": ids})
    assert "Say why" in _messages(response) and snapshot() == start

    client.post(bulk_url(world.board_a), {"action": "hide", "threads": ids, "reason": "Spam wave"})
    assert counters(world.board_a, world.author, world.member) == [(0, 0), (0, 0), (0, 0)]
    client.post(bulk_url(world.board_a), {"action": "restore", "threads": ids})
    assert counters(world.board_a, world.author, world.member) == [(2, 4), (1, 2), (1, 2)]
    assert AuditLog.objects.filter(action="thread_hide").count() == 2
    assert AuditLog.objects.filter(action="thread_restore").count() == 2


def test_a_thread_of_another_board_spoils_the_whole_batch(client, world):
    foreign = make_thread(board=world.board_a2, author=world.member)
    client.force_login(world.mod_a)  # moderates A2 too, but the batch is A's
    rows = snapshot()
    response = client.post(
        bulk_url(world.board_a), {"action": "lock", "threads": [world.thread.pk, foreign.pk]}
    )
    assert "threads of this board" in _messages(response)
    assert snapshot() == rows


def test_a_refusal_part_way_rolls_back_the_threads_already_done(client, world):
    client.force_login(world.mod_a)
    client.post(
        thread_action_url(world.other, "move"),
        {"to_board": world.board_a2.pk, "leave_notice": "on"},
    )
    notice = Thread.objects.get(moved_to=world.other)
    rows = snapshot()
    # The notice sorts after the thread: the thread is locked first, then the notice refuses.
    assert notice.pk > world.thread.pk
    response = client.post(
        bulk_url(world.board_a), {"action": "lock", "threads": [world.thread.pk, notice.pk]}
    )
    assert "notice of a thread that moved" in _messages(response)
    assert snapshot() == rows


def test_non_moderators_get_403_and_anonymous_the_sign_in_page(client, world):
    data = {"action": "hide", "threads": [world.thread.pk], "reason": "x"}
    rows = snapshot()
    assert client.post(bulk_url(world.board_a), data)["Location"].startswith("/accounts/login/")
    for role in (world.member, world.author, world.mod_b):
        client.force_login(role)
        assert client.post(bulk_url(world.board_a), data).status_code == 403
    assert snapshot() == rows
