"""reputation over the API: ledgers worded for the reader, levels, check-in and streaks."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import CheckIn, ReputationEntry, User
from accounts.services import reputation_grant
from forum import services as forum_services
from tests.api.conftest import token_client
from tests.api.roles import ROLES, SIGNED_IN, TOKEN_AUTH_QUERIES, make_caller
from tests.factories import StaffFactory, UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def test_my_ledger_says_what_earned_each_point(member, member_api):
    post = make_reply(thread=make_thread(title="Battery drain on 14.0.3"), author=member)
    forum_services.post_like(post=post, user=UserFactory())
    rows = member_api.get("/api/v1/reputation/ledger/").json()["results"]
    like = next(row for row in rows if row["reason"] == "like")
    assert like["points"] == 2 and like["target_floor"] == 2
    assert like["text"] == "Like on your post in “Battery drain on 14.0.3”, floor 2"
    assert like["target_url"] == post.get_permalink() and like["reverses"] is None


def test_a_taken_back_line_points_at_the_line_it_takes_back(member, member_api):
    post = make_thread(author=member).posts.get(floor=1)
    fan = UserFactory()
    forum_services.post_like(post=post, user=fan)
    forum_services.post_unlike(post=post, user=fan)
    taken_back, granted = member_api.get("/api/v1/reputation/ledger/").json()["results"][:2]
    assert taken_back["text"].startswith("Taken back: Like on your post in")
    assert taken_back["points"] == -2 and taken_back["reverses"] == granted["id"]


def test_ledger_lines_are_worded_in_the_readers_language():
    reader = UserFactory(language="zh-hans")
    reputation_grant(user_id=reader.pk, reason="check_in", source="check-in:2026-11-30")
    row = token_client(reader).get("/api/v1/reputation/ledger/").json()["results"][0]
    assert re.search(r"[\u4e00-\u9fff]", row["text"])


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("anonymous", 401), ("other", 403), ("owner", 200), ("staff", 200), ("global", 200)],
)
def test_a_members_ledger_is_for_them_and_the_staff(api, viewer, status):
    owner = UserFactory()
    reputation_grant(user_id=owner.pk, reason="check_in", source="check-in:2026-11-30")
    clients = {
        "anonymous": lambda: api,
        "other": lambda: token_client(UserFactory()),
        "owner": lambda: token_client(owner),
        "staff": lambda: token_client(StaffFactory()),
        "global": lambda: token_client(UserFactory(is_global_moderator=True)),
    }
    response = clients[viewer]().get(f"/api/v1/members/{owner.username}/ledger/")
    assert response.status_code == status
    if status == 403:
        assert response.json()["detail"] == "Only the member and the staff can see this ledger."
    if status == 200:
        assert len(response.json()["results"]) == 1


def test_the_ledger_queries_do_not_grow(member, member_api, django_assert_num_queries):
    def list_with(count):
        start = ReputationEntry.objects.filter(user=member).count()
        for n in range(start, start + count):
            reputation_grant(
                user_id=member.pk, reason="check_in", source=f"check-in:2026-01-{n + 1:02d}"
            )
        with django_assert_num_queries(TOKEN_AUTH_QUERIES + 1):
            assert member_api.get("/api/v1/reputation/ledger/?page_size=50").status_code == 200
        with django_assert_num_queries(TOKEN_AUTH_QUERIES + 2):  # and the member
            url = f"/api/v1/members/{member.username}/ledger/?page_size=50"
            assert member_api.get(url).status_code == 200

    list_with(2)
    list_with(9)


def test_levels_and_their_thresholds(api):
    body = api.get("/api/v1/reputation/levels/").json()
    assert [(lv["key"], lv["threshold"]) for lv in body["levels"]][:3] == [
        ("newcomer", 0),
        ("member", 50),
        ("active", 200),
    ]
    assert [lv["rank"] for lv in body["levels"]] == list(range(len(body["levels"])))
    chinese = api.get("/api/v1/reputation/levels/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert re.search(r"[\u4e00-\u9fff]", chinese["levels"][0]["name"])


def test_checking_in_once_a_day(member, member_api):
    first = member_api.post("/api/v1/reputation/check-in/")
    assert first.status_code == 201
    body = first.json()
    assert body["points"] == 1 and body["streak"] == 1 and body["reputation"] == 1
    assert body["day"] == timezone.localdate().isoformat()
    assert body["message"] == "Checked in: +1 reputation, 1 day in a row."
    second = member_api.post("/api/v1/reputation/check-in/")
    assert second.status_code == 409
    assert second.json()["detail"] == "You have already checked in today."
    assert CheckIn.objects.filter(user=member).count() == 1
    assert User.objects.get(pk=member.pk).reputation == 1


def test_a_streak_bonus_on_the_seventh_day(member, member_api):
    yesterday = timezone.localdate() - timedelta(days=1)
    User.objects.filter(pk=member.pk).update(last_check_in=yesterday, check_in_streak=6)
    body = member_api.post("/api/v1/reputation/check-in/").json()
    assert body["streak"] == 7 and body["points"] == 1 + 5 and body["best_streak"] == 7


def test_my_streak(member, member_api, django_assert_num_queries):
    User.objects.filter(pk=member.pk).update(
        last_check_in=timezone.localdate() - timedelta(days=1),
        check_in_streak=4,
        best_check_in_streak=9,
    )
    with django_assert_num_queries(TOKEN_AUTH_QUERIES):
        body = member_api.get("/api/v1/reputation/streak/").json()
    assert body == {
        "current_streak": 4,
        "best_streak": 9,
        "last_check_in": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "checked_in_today": False,
    }
    member_api.post("/api/v1/reputation/check-in/")
    after = member_api.get("/api/v1/reputation/streak/").json()
    assert after["current_streak"] == 5 and after["checked_in_today"] is True


def test_a_broken_streak_reads_as_zero(member, member_api):
    User.objects.filter(pk=member.pk).update(
        last_check_in=timezone.localdate() - timedelta(days=3), check_in_streak=4
    )
    assert member_api.get("/api/v1/reputation/streak/").json()["current_streak"] == 0


@pytest.mark.parametrize("role", ROLES)
def test_who_may_check_in(role):
    """As on the page: every signed-in member, restricted or not (it is not posting)."""
    user, client = make_caller(role)
    response = client.post("/api/v1/reputation/check-in/")
    if role == "anonymous":
        assert response.status_code == 401
        assert not CheckIn.objects.exists()
        assert client.get("/api/v1/reputation/streak/").status_code == 401
        return
    assert role in SIGNED_IN and response.status_code == 201
    assert client.get("/api/v1/reputation/streak/").json()["checked_in_today"] is True
    assert CheckIn.objects.filter(user=user).count() == 1
