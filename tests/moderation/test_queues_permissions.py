"""Every new moderation URL against every role, over HTTP.

Allowed roles get the page or make the change; every other role gets a 403
(anonymous visitors: the sign-in redirect) and not one row anywhere changes.
"""

import pytest
from django.urls import reverse

from accounts.models import User
from forum.models import Post
from moderation import services
from moderation.models import Report, ReportCase
from tests.factories import UserFactory, make_reply
from tests.moderation.world import snapshot

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "author", "mod_a", "mod_b", "section_mod", "global_mod", "staff"]
MODERATORS_OF_A = {"mod_a", "section_mod", "global_mod", "staff"}
ANY_MODERATOR = MODERATORS_OF_A | {"mod_b"}


def full_snapshot() -> dict:
    return {
        **snapshot(),
        "reports": list(Report.objects.order_by("pk").values()),
        "cases": list(ReportCase.objects.order_by("pk").values()),
        "sanctions": list(
            User.objects.order_by("pk").values("pk", "reputation", "suspended_until")
        ),
    }


def _reported(world) -> ReportCase:
    post = Post.objects.select_related("thread__board").get(pk=world.reply.pk)
    services.report_create(post=post, reporter=UserFactory(), reason="spam")
    return ReportCase.objects.get()


def _held(world, settings) -> Post:
    settings.POPCORN = {**settings.POPCORN, "APPROVAL_BELOW_LEVEL": "member"}
    return make_reply(thread=world.thread, author=UserFactory(), body="held for review")


def _login(client, world, role):
    if role != "anonymous":
        client.force_login(world.role(role))


def _expect_refused(response, role):
    if role == "anonymous":
        assert response.status_code == 302 and "login" in response["Location"]
    else:
        assert response.status_code == 403


PAGES = {
    "reports": (lambda w: reverse("moderation:reports"), ANY_MODERATOR),
    "approvals": (lambda w: reverse("moderation:approvals"), ANY_MODERATOR),
    "badge": (lambda w: reverse("moderation:queue_badge"), ANY_MODERATOR),
    "history": (
        lambda w: reverse("moderation:member", kwargs={"username": "author"}),
        ANY_MODERATOR,
    ),
    "report form": (
        lambda w: reverse("reports:report", kwargs={"post_id": w.reply.pk}),
        set(ROLES) - {"anonymous", "author"},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_who_may_open_each_page(client, world, role, page):
    url, allowed = PAGES[page]
    _reported(world)
    _login(client, world, role)
    response = client.get(url(world))
    if role in allowed:
        assert response.status_code == 200
    else:
        _expect_refused(response, role)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_hide_a_reported_post(client, world, role):
    case = _reported(world)
    before = full_snapshot()
    _login(client, world, role)
    response = client.post(
        reverse("moderation:report_resolve", kwargs={"case_id": case.pk}),
        {"outcome": "hide", "reason": "Spam"},
    )
    if role in MODERATORS_OF_A:
        assert response.status_code == 302
        assert Post.objects.get(pk=world.reply.pk).is_hidden
    else:
        _expect_refused(response, role)
        assert full_snapshot() == before


@pytest.mark.parametrize("role", ROLES)
def test_who_may_dismiss_reports(client, world, role):
    case = _reported(world)
    before = full_snapshot()
    _login(client, world, role)
    response = client.post(
        reverse("moderation:report_resolve", kwargs={"case_id": case.pk}), {"outcome": "dismiss"}
    )
    if role in MODERATORS_OF_A:
        assert response.status_code == 302 and not ReportCase.objects.get().is_open
    else:
        _expect_refused(response, role)
        assert full_snapshot() == before


@pytest.mark.parametrize("action", ["approve", "reject"])
@pytest.mark.parametrize("role", ROLES)
def test_who_may_approve_or_reject(client, world, settings, role, action):
    post = _held(world, settings)
    before = full_snapshot()
    _login(client, world, role)
    response = client.post(
        reverse("moderation:approval_action", kwargs={"post_id": post.pk, "action": action}),
        {"reason": "Not for this board"},
    )
    if role in MODERATORS_OF_A:
        assert response.status_code == 302
        assert not Post.objects.get(pk=post.pk).is_pending
    else:
        _expect_refused(response, role)
        assert full_snapshot() == before


def test_the_post_author_cannot_approve_their_own_held_post(client, world, settings):
    post = _held(world, settings)
    before = full_snapshot()
    client.force_login(post.author)
    url = reverse("moderation:approval_action", kwargs={"post_id": post.pk, "action": "approve"})
    assert client.post(url).status_code == 403
    assert full_snapshot() == before


def test_writes_refuse_get(client, world):
    case = _reported(world)
    client.force_login(world.staff)
    url = reverse("moderation:report_resolve", kwargs={"case_id": case.pk})
    assert client.get(url).status_code == 405


def test_a_board_moderator_sees_the_history_of_their_boards_only(client, world):
    _reported(world)
    from moderation import services

    services.post_hide(post=world.reply, actor=world.staff, reason="Spam")
    client.force_login(world.mod_b)
    history = client.get(reverse("moderation:member", kwargs={"username": "author"})).context[
        "history"
    ]
    assert history.reports_against == [] and history.actions == []
    client.force_login(world.mod_a)
    history = client.get(reverse("moderation:member", kwargs={"username": "author"})).context[
        "history"
    ]
    assert len(history.reports_against) == 1
    assert [row.action for row in history.actions] == ["post_hide"]


@pytest.mark.parametrize("role", ROLES)
def test_only_global_moderators_and_staff_suspend_while_resolving(client, world, role):
    case = _reported(world)
    before = full_snapshot()
    _login(client, world, role)
    response = client.post(
        reverse("moderation:report_resolve", kwargs={"case_id": case.pk}),
        {"outcome": "hide", "reason": "Spam", "suspend_days": "2"},
    )
    if role in ("global_mod", "staff"):
        assert response.status_code == 302
        assert Post.objects.get(pk=world.reply.pk).is_hidden
        assert User.objects.get(pk=world.author.pk).is_suspended
    else:
        # Board and section moderators may hide but not suspend: the whole resolution is undone.
        assert not User.objects.get(pk=world.author.pk).is_suspended
        assert not Post.objects.get(pk=world.reply.pk).is_hidden
        assert full_snapshot() == before
