"""Ledger lines are worded when read, in the reader's language, from the reason, the
source and a few parameters; lines written as sentences before are migrated."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from accounts import services
from accounts.models import ReputationEntry, ReputationReason
from forum import services as forum_services
from tests.catalogue import zh_catalogue
from tests.factories import UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db

ZH = {
    "Like on your post in “%(title)s”, floor %(floor)s": (
        "你在「%(title)s」%(floor)s 楼的帖子被点赞"
    ),
    "Taken back: %(line)s": "已收回：%(line)s",
    "Daily check-in on %(day)s": "%(day)s 签到",
    (
        "Check-in streak: %(days)d day in a row",
        "Check-in streak: %(days)d days in a row",
    ): "连续签到 %(days)d 天",
}


@pytest.fixture
def chinese(settings, tmp_path):
    zh_catalogue(settings, tmp_path, ZH)


def _ledger(client, user) -> str:
    client.force_login(user)
    return client.get(
        reverse("accounts:ledger", kwargs={"username": user.username})
    ).content.decode()


def test_a_like_and_its_taking_back_read_in_the_readers_language(client, chinese):
    author, fan = UserFactory(language="zh-hans"), UserFactory(language="en")
    post = make_reply(thread=make_thread(author=author, title="Battery drain"), author=author)
    forum_services.post_like(post=post, user=fan)
    forum_services.post_unlike(post=post, user=fan)
    page = _ledger(client, author)
    assert "你在「Battery drain」2 楼的帖子被点赞" in page
    assert "已收回：你在「Battery drain」2 楼的帖子被点赞" in page
    author.language = "en"
    author.save(update_fields=["language"])
    page = _ledger(client, author)
    assert "Taken back: Like on your post in “Battery drain”, floor 2" in page


def test_check_ins_are_worded_from_their_source_and_streak(client, chinese, settings):
    member = UserFactory(language="zh-hans")
    settings.POPCORN = {
        **settings.POPCORN,
        "REPUTATION": {**settings.POPCORN["REPUTATION"], "check_in_streak_every": 1},
    }
    services.check_in(user=member)
    day = ReputationEntry.objects.get(reason=ReputationReason.CHECK_IN)
    streak = ReputationEntry.objects.get(reason=ReputationReason.CHECK_IN_STREAK)
    assert day.target_title == "" and streak.title_params == {"days": 1}
    with translation.override("zh-hans"):
        today = date.fromisoformat(day.source.split(":", 1)[1])
        assert day.text == f"{today.year}年{today.month}月{today.day}日 签到"
        assert streak.text == "连续签到 1 天"
    with translation.override("en"):
        assert streak.text == "Check-in streak: 1 day in a row"


def test_old_ledger_sentences_become_parameters(member):
    def entry(reason, title, source, url=""):
        return ReputationEntry.objects.create(
            user=member, points=1, reason=reason, source=source, target_title=title, target_url=url
        )

    streak = entry("check_in_streak", "7 days in a row", "check-in-streak:2026-11-30")
    check_in = entry("check_in", "Check-in on 2026-11-30", "check-in:2026-11-30")
    invitee = entry(
        "invitee_active", "bob, whom you invited, became active", "invitee:9", "/u/bob/"
    )
    by_staff = entry("adjustment", "by admin", "adjustment:1")
    noted = entry("adjustment", "Spam cleanup", "adjustment:2")
    migration = importlib.import_module("accounts.migrations.0013_notification_and_ledger_texts")
    migration.ledger_forward(apps, None)
    for row in (streak, check_in, invitee, by_staff, noted):
        row.refresh_from_db()
    assert (streak.target_title, streak.title_params) == ("", {"days": 7})
    assert (check_in.target_title, check_in.title_params) == ("", {})
    assert invitee.title_params == {"name": "bob"}
    assert by_staff.title_params == {"by": "admin"}
    assert (noted.target_title, noted.title_params) == ("Spam cleanup", {})  # staff's own words
    with translation.override("en"):
        assert streak.text == "Check-in streak: 7 days in a row"
        assert check_in.text == "Daily check-in on Nov. 30, 2026"
        assert invitee.text == "bob, whom you invited, became active"
        assert by_staff.text == "Adjustment by admin"
        assert noted.text == "Adjustment by staff: Spam cleanup"
