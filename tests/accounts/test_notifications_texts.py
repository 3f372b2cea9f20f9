"""Notifications are stored as a key and parameters and worded in the READER's language
when read; excerpts are plain text; rows from before keys are migrated readably."""

import importlib
from datetime import datetime, timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts import services
from accounts.models import Notification, NotificationKind
from forum import services as forum_services
from moderation import services as moderation_services
from tests.catalogue import zh_catalogue
from tests.factories import UserFactory, make_reply, make_thread
from tests.moderation.world import build_world

pytestmark = pytest.mark.django_db

INBOX = reverse("accounts:notifications")
ZH = {
    "%(actor)s liked your post in “%(title)s”": "%(actor)s 赞了你在「%(title)s」的帖子",
    (
        "%(actor)s and %(others)s other liked your post in “%(title)s”",
        "%(actor)s and %(others)s others liked your post in “%(title)s”",
    ): "%(actor)s 等 %(others)s 人赞了你在「%(title)s」的帖子",
    "Your post in “%(title)s” was hidden": "你在「%(title)s」的帖子被隐藏了",
    "You are silenced until %(until)s": "你被禁言至 %(until)s",
}


@pytest.fixture
def chinese(settings, tmp_path):
    zh_catalogue(settings, tmp_path, ZH)


def _inbox(client, user) -> str:
    client.force_login(user)
    return client.get(INBOX).content.decode()


def test_one_like_reads_in_each_readers_language(client, chinese):
    zh_author, en_author = UserFactory(language="zh-hans"), UserFactory(language="en")
    liker = UserFactory(username="fan_en", language="en")  # the actor's language plays no part
    for author in (zh_author, en_author):
        post = make_thread(author=author, title="Battery drain").posts.get(floor=1)
        forum_services.post_like(post=post, user=liker)

    row = Notification.objects.get(recipient=zh_author)
    assert (row.title_key, row.title_params) == ("forum.like", {"title": "Battery drain"})
    assert "fan_en 赞了你在「Battery drain」的帖子" in _inbox(client, zh_author)
    assert "fan_en liked your post in “Battery drain”" in _inbox(client, en_author)


def test_folded_likes_count_the_others_in_the_readers_language(client, chinese):
    author = UserFactory(language="zh-hans")
    post = make_thread(author=author, title="Camera").posts.get(floor=1)
    for name in ("a1", "a2", "a3"):
        forum_services.post_like(post=post, user=UserFactory(username=name))
    assert "a3 等 2 人赞了你在「Camera」的帖子" in _inbox(client, author)
    author.language = "en"
    author.save(update_fields=["language"])
    assert "a3 and 2 others liked your post in “Camera”" in _inbox(client, author)


def test_a_moderators_notice_is_worded_for_the_author_not_the_moderator(client, chinese):
    world = build_world()
    world.member.language = "zh-hans"
    world.member.save(update_fields=["language"])
    post = make_reply(thread=world.thread, author=world.member)
    with translation.override("en"):  # the moderator works in English
        moderation_services.post_hide(post=post, actor=world.mod_a, reason="Spam link")
    row = Notification.objects.get(recipient=world.member, kind=NotificationKind.MODERATION)
    assert row.title_key == "moderation.post_hidden"
    page = _inbox(client, world.member)
    assert f"你在「{world.thread.title}」的帖子被隐藏了" in page and "Spam link" in page


def test_a_sanctions_end_is_shown_in_the_readers_date_format(client, chinese):
    world = build_world()
    until = timezone.make_aware(datetime(2030, 12, 1, 18, 30))
    moderation_services.user_silence(
        actor=world.staff, user=world.member, until=until, reason="Flooding"
    )
    row = Notification.objects.get(recipient=world.member, kind=NotificationKind.MODERATION)
    assert row.title_params == {"until": until.isoformat()}
    with translation.override("zh-hans"):
        assert row.text == "你被禁言至 2030年12月1日 18:30"
    with translation.override("en"):
        assert row.text == "You are silenced until Dec. 1, 2030, 6:30 p.m."


def test_an_unknown_key_is_refused_when_written(member):
    with pytest.raises(ValueError, match=r"forum\.replyy"):
        services.notification_create(
            recipient=member, kind=NotificationKind.REPLY, target_url="/", title_key="forum.replyy"
        )
    assert not Notification.objects.exists()


def test_excerpts_are_plain_text_in_the_inbox_and_emails(
    client, django_capture_on_commit_callbacks
):
    author, replier = UserFactory(), UserFactory()
    thread = make_thread(author=author, title="Modem")
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(
            thread=thread,
            author=replier,
            body="> quoted words\n\n**Flash** the [modem](https://example.org) `fw` & *reboot*",
        )
    row = Notification.objects.get(recipient=author)
    assert row.excerpt == "Flash the modem fw & reboot"
    page = _inbox(client, author)
    assert "Flash the modem fw &amp; reboot" in page and "**" not in page


# Rows written before keys ------------------------------------------------------


def _legacy(recipient, kind, title, excerpt=""):
    return Notification.objects.create(
        recipient=recipient, kind=kind, target_url="/t/1/", target_title=title, excerpt=excerpt
    )


def test_old_rows_get_keys_and_keep_a_sentence_that_fits_none(settings):
    member = UserFactory()
    reply = _legacy(member, NotificationKind.REPLY, "Battery drain")
    hidden = _legacy(member, NotificationKind.MODERATION, "Your post in “Wi-Fi drops” was hidden")
    fixed = _legacy(
        member, NotificationKind.MODERATION, "Status of “Wi-Fi drops”: fixed in V14.0.4.0"
    )
    confirmed = _legacy(member, NotificationKind.MODERATION, "Status of “Wi-Fi drops”: Confirmed")
    suspended = _legacy(
        member, NotificationKind.MODERATION, "Your account is suspended until 2030-12-08 18:30 CST"
    )
    invited = _legacy(
        member,
        NotificationKind.EARLY_ACCESS,
        "You are invited to the early-access program “Xiaomi 14 beta”",
    )
    odd = _legacy(member, NotificationKind.MODERATION, "Something a moderator once wrote")

    migration = importlib.import_module("accounts.migrations.0013_notification_and_ledger_texts")
    migration.notifications_forward(apps, None)

    def keyed(row):
        row.refresh_from_db()
        return row.title_key, row.title_params

    assert keyed(reply) == ("forum.reply", {"title": "Battery drain"})
    assert keyed(hidden) == ("moderation.post_hidden", {"title": "Wi-Fi drops"})
    assert keyed(fixed) == (
        "moderation.thread_bug_fixed",
        {"title": "Wi-Fi drops", "version": "V14.0.4.0"},
    )
    assert keyed(confirmed) == (
        "moderation.thread_bug_status",
        {"title": "Wi-Fi drops", "status": "confirmed"},
    )
    local = timezone.make_aware(datetime(2030, 12, 8, 18, 30))
    assert keyed(suspended) == ("moderation.suspended_until", {"until": local.isoformat()})
    assert keyed(invited) == ("accounts.program_invited", {"program": "Xiaomi 14 beta"})
    assert keyed(odd) == ("", {})
    with translation.override("en"):
        assert odd.text == "Something a moderator once wrote"  # readable, never lost
        assert confirmed.text == "Status of “Wi-Fi drops”: Confirmed"
        assert hidden.text == "Your post in “Wi-Fi drops” was hidden"


def test_old_excerpts_lose_their_markdown(member):
    quote = _legacy(
        member, NotificationKind.QUOTE, "t", excerpt="**Bold** and [a link](https://x.org)"
    )
    reason = _legacy(member, NotificationKind.MODERATION, "t", excerpt="Spam *again*")
    migration = importlib.import_module("forum.migrations.0011_notification_plain_excerpts")
    migration.forward(apps, None)
    quote.refresh_from_db()
    reason.refresh_from_db()
    assert quote.excerpt == "Bold and a link"
    assert reason.excerpt == "Spam *again*"  # a moderator's words were plain already


def _silenced_rows(member, count):
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            recipient=member,
            kind=NotificationKind.MODERATION,
            target_url="/",
            target_title="t",
            title_key="moderation.silenced_until",
            title_params={"until": (now + timedelta(days=i)).isoformat()},
        )
        for i in range(count)
    )


def test_wording_in_the_readers_language_reads_nothing_more(client):
    # The inbox's queries stay the same for 1 row and 25: words come from the catalogue.
    counts = []
    for rows in (1, 25):
        member = UserFactory(language="zh-hans")
        _silenced_rows(member, rows)
        client.force_login(member)
        client.get(INBOX)  # warm up
        with CaptureQueriesContext(connection) as captured:
            page = client.get(INBOX)
        assert len(page.context["page"].object_list) == rows
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_every_registered_message_is_worded_from_the_parameters_writers_pass():
    from accounts import notification_texts

    params = {
        **dict.fromkeys(("actor", "title", "program", "board", "target", "new", "place"), "x"),
        "starts": "2030-12-05T06:00:00+00:00",  # a meetup's start (forum.meetup_*)
        **{"version": "V1", "status": "confirmed", "until": "2030-12-01T10:30:00+00:00"},
        **{"count": 3, "others": 2},
    }
    registry = notification_texts.registered()
    assert {"forum.reply", "moderation.post_hidden", "accounts.program_invited"} <= set(registry)
    for key in registry:
        for language in ("en", "zh-hans"):
            with translation.override(language):
                worded = notification_texts.render(key, params, fallback="FALLBACK")
            assert worded != "FALLBACK" and "%(" not in worded, key
