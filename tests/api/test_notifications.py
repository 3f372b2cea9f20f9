"""notifications over the API: my list in my language, the unread count, marking read."""

import re

import pytest

from accounts import services
from accounts.models import Notification, NotificationKind, User
from tests.api.conftest import token_client
from tests.api.roles import ROLES, TOKEN_AUTH_QUERIES, make_caller
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def notify(recipient, *, actor=None, title="Battery drain on 14.0.3", excerpt="Same here."):
    return services.notification_create(
        recipient=recipient,
        kind=NotificationKind.REPLY,
        target_url="/t/1-battery/",
        title_key="forum.reply",
        title_params={"title": title},
        actor=actor
        or User.objects.filter(username="replier").first()
        or UserFactory(username="replier"),
        excerpt=excerpt,
    )


def _unread(user) -> int:
    return User.objects.get(pk=user.pk).unread_notifications


def test_my_notifications_are_worded_from_their_key(member, member_api):
    notify(member, excerpt="Plain *text*, as it was written")
    body = member_api.get("/api/v1/notifications/").json()
    (row,) = body["results"]
    assert row["text"] == "replier replied in “Battery drain on 14.0.3”"
    assert row["excerpt"] == "Plain *text*, as it was written"
    assert row["kind"] == "reply" and row["is_read"] is False
    assert row["target_url"] == "/t/1-battery/" and row["actor_name"] == "replier"


def test_notifications_are_worded_in_the_readers_language():
    reader = UserFactory(language="zh-hans")
    notify(reader)
    row = token_client(reader).get("/api/v1/notifications/").json()["results"][0]
    assert re.search(r"[\u4e00-\u9fff]", row["text"]) and "Battery drain" in row["text"]


def test_i_see_only_my_own_notifications(member, member_api):
    notify(UserFactory())
    mine = notify(member)
    ids = [row["id"] for row in member_api.get("/api/v1/notifications/").json()["results"]]
    assert ids == [mine.pk]


def test_the_unread_count_is_the_bells(member, member_api, django_assert_num_queries):
    notify(member)
    notify(member)
    with django_assert_num_queries(TOKEN_AUTH_QUERIES):  # nothing but signing in
        response = member_api.get("/api/v1/notifications/unread-count/")
    assert response.json() == {"unread": 2}


def test_marking_one_read(member, member_api):
    first, second = notify(member), notify(member)
    response = member_api.post(f"/api/v1/notifications/{first.pk}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert _unread(member) == 1
    again = member_api.post(f"/api/v1/notifications/{first.pk}/read/")
    assert again.status_code == 200 and _unread(member) == 1
    assert Notification.objects.get(pk=second.pk).is_read is False


def test_another_members_notification_is_a_404_and_stays_unread(member_api):
    owner = UserFactory()
    theirs = notify(owner)
    assert member_api.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=theirs.pk).is_read is False and _unread(owner) == 1


def test_marking_all_read(member, member_api):
    for _ in range(3):
        notify(member)
    theirs = notify(UserFactory())
    response = member_api.post("/api/v1/notifications/read-all/")
    assert response.json() == {"marked": 3, "unread": 0}
    assert not Notification.objects.filter(recipient=member, is_read=False).exists()
    assert Notification.objects.get(pk=theirs.pk).is_read is False
    assert member_api.post("/api/v1/notifications/read-all/").json() == {"marked": 0, "unread": 0}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_mark_notifications_read(role):
    user, client = make_caller(role)
    recipient = user or UserFactory()
    notification = notify(recipient)
    one = client.post(f"/api/v1/notifications/{notification.pk}/read/")
    every = client.post("/api/v1/notifications/read-all/")
    if role == "anonymous":
        assert (one.status_code, every.status_code) == (401, 401)
        assert Notification.objects.get(pk=notification.pk).is_read is False
        assert client.get("/api/v1/notifications/").status_code == 401
        return
    assert (one.status_code, every.status_code) == (200, 200)
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}


def test_the_list_is_cursor_paginated(member, member_api):
    made = [notify(member, title=f"Thread {n}") for n in range(5)]
    first = member_api.get("/api/v1/notifications/?page_size=3").json()
    rest = member_api.get(first["next"]).json()
    ids = [row["id"] for row in first["results"] + rest["results"]]
    assert ids == [n.pk for n in reversed(made)]


def test_the_list_queries_do_not_grow(member, member_api, django_assert_num_queries):
    def list_with(count):
        for n in range(count):
            notify(member, title=f"Thread {n}")
        with django_assert_num_queries(TOKEN_AUTH_QUERIES + 1):  # and the page
            assert member_api.get("/api/v1/notifications/?page_size=50").status_code == 200

    list_with(2)
    list_with(8)
