"""Who may moderate what, over HTTP: every role against every action on board A.

Allowed roles change the content and write an audit row by themselves; every
other role gets a 403 (anonymous visitors: the sign-in redirect) and not one
row anywhere changes.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from forum.permissions import can_edit_post, can_moderate
from moderation import services
from moderation.models import AuditLog
from tests.factories import BoardFactory, StaffFactory, make_thread
from tests.moderation.world import (
    bulk_url,
    post_action_url,
    snapshot,
    thread_action_url,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "member",
    "author",
    "mod_a",
    "mod_b",
    "section_mod",
    "global_mod",
    "staff",
]
ALLOWED = {"mod_a", "section_mod", "global_mod", "staff"}


def _prepare(world, before):
    """Bring the content into the state the action undoes (as staff)."""
    if before:
        before(world, world.staff)


# name: (state to set up first, request (url, data), the audit action expected)
ACTIONS = {
    "pin": (None, lambda w: (thread_action_url(w.thread, "pin"), {}), "thread_pin"),
    "unpin": (
        lambda w, s: services.thread_pin(thread=w.thread, actor=s),
        lambda w: (thread_action_url(w.thread, "unpin"), {}),
        "thread_unpin",
    ),
    "announce": (
        None,
        lambda w: (thread_action_url(w.thread, "announce"), {}),
        "thread_announce",
    ),
    "lock": (None, lambda w: (thread_action_url(w.thread, "lock"), {}), "thread_lock"),
    "unlock": (
        lambda w, s: services.thread_lock(thread=w.thread, actor=s),
        lambda w: (thread_action_url(w.thread, "unlock"), {}),
        "thread_unlock",
    ),
    "feature": (None, lambda w: (thread_action_url(w.thread, "feature"), {}), "thread_feature"),
    "move": (
        None,
        lambda w: (
            thread_action_url(w.thread, "move"),
            {"to_board": w.board_a2.pk, "leave_notice": "on", "reason": "Belongs in chat"},
        ),
        "thread_move",
    ),
    "merge": (
        None,
        lambda w: (thread_action_url(w.other, "merge"), {"target": w.thread.pk}),
        "thread_merge",
    ),
    "split": (
        None,
        lambda w: (
            thread_action_url(w.thread, "split"),
            {"title": "Log discussion", "posts": [w.reply.pk]},
        ),
        "thread_split",
    ),
    "hide_thread": (
        None,
        lambda w: (thread_action_url(w.thread, "hide"), {"reason": "Duplicate"}),
        "thread_hide",
    ),
    "restore_thread": (
        lambda w, s: services.thread_hide(thread=w.thread, actor=s, reason="Duplicate"),
        lambda w: (thread_action_url(w.thread, "restore"), {}),
        "thread_restore",
    ),
    "hide_post": (
        None,
        lambda w: (post_action_url(w.reply, "hide"), {"reason": "Personal data in the log"}),
        "post_hide",
    ),
    "restore_post": (
        lambda w, s: services.post_hide(post=w.reply, actor=s, reason="Personal data"),
        lambda w: (post_action_url(w.reply, "restore"), {}),
        "post_restore",
    ),
    "mark_helpful": (
        None,
        lambda w: (post_action_url(w.reply, "helpful"), {}),
        "post_helpful",
    ),
    "bug_status": (
        None,
        lambda w: (
            thread_action_url(w.thread, "bug-status"),
            {"status": "fixed", "fixed_in_version": "V14.0.4.0.UNCCNXM"},
        ),
        "thread_bug_status",
    ),
    "bulk_lock": (
        None,
        lambda w: (bulk_url(w.board_a), {"action": "lock", "threads": [w.thread.pk, w.other.pk]}),
        "thread_lock",
    ),
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, world, role, action):
    before, make_request, audit_action = ACTIONS[action]
    _prepare(world, before)
    user = world.role(role)
    if user is not None:
        client.force_login(user)
    url, data = make_request(world)
    rows_before = snapshot()

    response = client.post(url, {"reason": "", **data})

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert snapshot() == rows_before
    elif role in ALLOWED:
        assert response.status_code == 302, response.content[:500]
        assert snapshot() != rows_before
        logged = AuditLog.objects.filter(actor=user, action=audit_action)
        assert logged.exists()
        assert all(row.after is not None for row in logged)
    else:
        assert response.status_code == 403
        assert snapshot() == rows_before


def test_a_board_moderator_cannot_move_a_thread_into_a_board_they_do_not_moderate(client, world):
    client.force_login(world.mod_a)
    rows_before = snapshot()
    response = client.post(
        thread_action_url(world.thread, "move"), {"to_board": world.board_b.pk, "reason": ""}
    )
    assert response.status_code == 403
    assert snapshot() == rows_before


def test_a_section_moderator_stops_at_their_section(client, world):
    thread_b = make_thread(board=world.board_b, author=world.member)
    client.force_login(world.section_mod)
    assert client.post(thread_action_url(thread_b, "lock"), {}).status_code == 403
    assert client.post(thread_action_url(world.thread, "lock"), {}).status_code == 302


def test_a_new_board_in_a_moderated_section_is_moderated_at_once(world):
    later = BoardFactory(section=world.board_a.section)
    assert can_moderate(world.section_mod, later)
    assert not can_moderate(world.mod_a, later)


def test_reach_costs_one_query_per_request_and_none_for_staff(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert can_moderate(world.mod_a, world.board_a)
        assert can_moderate(world.mod_a, world.board_a2)
        assert not can_moderate(world.mod_a, world.board_b)
    with django_assert_num_queries(0):
        assert can_moderate(world.staff, world.board_b)
        assert can_moderate(world.global_mod, world.board_b)
        assert not can_moderate(AnonymousUser(), world.board_a)


def test_removing_a_moderator_takes_their_reach_away(client, world):
    services.moderator_remove(user=world.mod_a, board=world.board_a, actor=world.staff)
    client.force_login(world.mod_a)
    assert client.post(thread_action_url(world.thread, "lock"), {}).status_code == 403
    assert AuditLog.objects.filter(action="moderator_remove", target_id=world.mod_a.pk).exists()


def test_only_staff_appoint_moderators(world):
    with pytest.raises(PermissionDenied):
        services.moderator_add(user=world.member, board=world.board_a, actor=world.global_mod)
    assert not can_moderate(world.member, world.board_a)


def test_moderators_may_edit_any_post_in_their_boards_only(world):
    assert can_edit_post(world.mod_a, world.reply)
    assert can_edit_post(world.section_mod, world.reply)
    assert not can_edit_post(world.mod_b, world.reply)
    assert not can_edit_post(world.member, world.reply)
    assert can_edit_post(world.author, world.reply)
    services.thread_lock(thread=world.thread, actor=world.staff)
    world.reply.thread.refresh_from_db()
    assert not can_edit_post(world.author, world.reply)
    assert can_edit_post(world.mod_a, world.reply)


def test_moderators_names_are_listed_on_their_boards(client, world):
    html = client.get(world.board_a.get_absolute_url()).content.decode()
    moderators = html[html.index("Moderators:") :].split("</p>")[0]
    assert "mod_a" in moderators and "section_mod" in moderators
    assert "mod_b" not in moderators and "boss" not in moderators


def test_staff_without_a_role_are_not_listed_as_moderators(client, world):
    StaffFactory(username="quiet_staff")
    assert "quiet_staff" not in client.get(world.board_a.get_absolute_url()).content.decode()
