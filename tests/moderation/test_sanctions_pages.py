"""The member moderation page and its actions, over HTTP, for every role."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from forum.models import Thread
from moderation import services
from moderation.models import AuditLog, Warning
from tests.moderation.world import snapshot

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "author", "mod_a", "mod_b", "section_mod", "global_mod", "staff"]


def _page(member, board=None):
    url = reverse("moderation:member", kwargs={"username": member.username})
    return f"{url}?board={board.slug}" if board else url


def _action(member, action):
    return reverse(
        "moderation:member_action", kwargs={"username": member.username, "action": action}
    )


def _login(client, world, role):
    user = world.role(role)
    if user:
        client.force_login(user)


@pytest.mark.parametrize("role", ROLES)
def test_the_page_is_for_moderators_only(world, client, role):
    _login(client, world, role)
    response = client.get(_page(world.member, world.board_a))
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in {"member", "author"}:
        assert response.status_code == 403
    else:
        assert response.status_code == 200


# action: (form data, who may, from board A, the audit action written)
ACTIONS = {
    "warn": ({"reason": "Off-topic"}, {"mod_a", "section_mod", "global_mod", "staff"}, "user_warn"),
    "silence": (
        {"reason": "Flaming", "hours": 24},
        {"mod_a", "section_mod", "global_mod", "staff"},
        "user_silence",
    ),
    "suspend": ({"reason": "Spam", "hours": 0}, {"global_mod", "staff"}, "user_suspend"),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_action_for_each_role_from_board_a(world, client, role, action):
    data, allowed, audit_action = ACTIONS[action]
    _login(client, world, role)
    before = snapshot()
    warnings = Warning.objects.count()
    response = client.post(_action(world.member, action), {**data, "board": world.board_a.slug})
    if role in allowed:
        assert response.status_code == 302
        assert AuditLog.objects.filter(action=audit_action, target_id=world.member.pk).count() == 1
        return
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 403
    assert snapshot() == before and Warning.objects.count() == warnings
    member = User.objects.get(pk=world.member.pk)
    assert not member.is_suspended and not member.is_silenced


@pytest.mark.parametrize("action", ["lift-silence", "lift-suspension"])
@pytest.mark.parametrize("role", ROLES)
def test_lifting_for_each_role(world, client, role, action):
    until = timezone.now() + timedelta(days=2)
    services.user_silence(actor=world.staff, user=world.member, until=until, reason="x")
    services.user_suspend(actor=world.staff, user=world.member, until=until, reason="x")
    allowed = {"global_mod", "staff"}
    if action == "lift-silence":
        allowed |= {"mod_a", "section_mod"}
    _login(client, world, role)
    before = snapshot()
    response = client.post(_action(world.member, action), {"board": world.board_a.slug})
    member = User.objects.get(pk=world.member.pk)
    lifted = not (member.is_silenced if action == "lift-silence" else member.is_suspended)
    if role in allowed:
        assert response.status_code == 302 and lifted
    else:
        assert response.status_code in {302, 403} and not lifted
        assert snapshot() == before


def test_a_board_moderator_of_another_board_is_refused(world, client):
    client.force_login(world.mod_b)
    response = client.post(
        _action(world.member, "warn"), {"reason": "x", "board": world.board_a.slug}
    )
    assert response.status_code == 403 and not Warning.objects.exists()


def test_get_is_not_allowed_on_actions(world, client):
    client.force_login(world.staff)
    assert client.get(_action(world.member, "suspend")).status_code == 405


def test_bad_input_is_a_message_not_a_write(world, client):
    client.force_login(world.staff)
    response = client.post(
        _action(world.member, "suspend"), {"reason": "", "hours": "17"}, follow=True
    )
    assert response.status_code == 200 and b"errorlist" not in response.content
    assert "messages" in response.context and list(response.context["messages"])
    assert not User.objects.get(pk=world.member.pk).is_suspended


def test_unknown_action_is_404(world, client):
    client.force_login(world.staff)
    assert client.post(_action(world.member, "ban-forever"), {"reason": "x"}).status_code == 404


def test_page_shows_state_and_history_with_fixed_queries(world, client, django_assert_num_queries):
    services.user_warn(actor=world.mod_a, user=world.member, reason="first", board=world.board_a)
    client.force_login(world.global_mod)
    url = _page(world.member)
    client.get(url)
    # session, viewer, member, warnings count, and the history: sanctions, reports
    # against them, actions on their content, their own reports' outcomes.
    with django_assert_num_queries(9):
        small = client.get(url)
    assert "first" in small.content.decode()
    for n in range(15):
        services.user_warn(actor=world.staff, user=world.member, reason=f"again {n}")
    other = Thread.objects.get(pk=world.other.pk)
    services.thread_lock(thread=other, actor=world.staff, reason="locked it")
    with django_assert_num_queries(9):
        large = client.get(url)
    page = large.content.decode()
    assert "locked it" in page and "Suspend" in page


def test_profile_and_posts_link_moderators_to_the_page(world, client):
    client.force_login(world.mod_a)
    thread_page = client.get(world.thread.get_absolute_url()).content.decode()
    assert f"{_page(world.member)}?board={world.board_a.slug}" in thread_page
    profile = client.get(world.member.get_absolute_url()).content.decode()
    assert _page(world.member) in profile
    client.force_login(world.author)
    assert _page(world.member) not in client.get(world.member.get_absolute_url()).content.decode()


def test_slow_mode_action_is_audited_and_for_the_boards_moderators(world, client):
    url = reverse("moderation:thread_action", kwargs={"pk": world.thread.pk, "action": "slow-mode"})
    client.force_login(world.mod_b)
    assert client.post(url, {"seconds": 60}).status_code == 403
    client.force_login(world.member)
    assert client.post(url, {"seconds": 60}).status_code == 403
    assert Thread.objects.get(pk=world.thread.pk).slow_mode_seconds == 0
    client.force_login(world.mod_a)
    assert client.post(url, {"seconds": 60, "reason": "heated"}).status_code == 302
    assert Thread.objects.get(pk=world.thread.pk).slow_mode_seconds == 60
    row = AuditLog.objects.get(action="thread_slow_mode")
    assert (row.before, row.after) == ({"slow_mode_seconds": 0}, {"slow_mode_seconds": 60})
    assert (
        "Slow mode: one reply every 1"
        in client.get(world.thread.get_absolute_url()).content.decode()
    )
