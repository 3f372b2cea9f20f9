"""Emails are worded in the RECIPIENT's language, whoever caused them and whatever the
page's language was, and every link starts with settings.SITE_URL (never the
request's host, never example.com)."""

import re

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts import services
from accounts.models import Delivery, ProgramMembership
from forum import services as forum_services
from moderation import services as moderation_services
from moderation.models import UserExport
from tests.accounts.programs_world import invite, make_program
from tests.catalogue import zh_catalogue
from tests.factories import StaffFactory, UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db

SITE = "http://popcorn.test"  # settings.SITE_URL in the test settings
ZH = {
    "Hi %(name)s,": "%(name)s，你好：",
    "%(actor)s replied in “%(title)s”": "%(actor)s 回复了「%(title)s」",
    "Stop these emails: %(unsubscribe_url)s": "不再接收这类邮件：%(unsubscribe_url)s",
    "%(inviter_name)s invited you to join": "%(inviter_name)s 邀请你加入",
    "You are invited to the early-access program “%(program)s”": "你受邀参加内测「%(program)s」",
    (
        "Your member export is ready (%(rows)s row)",
        "Your member export is ready (%(rows)s rows)",
    ): "你的成员导出已完成（%(rows)s 行）",
}


@pytest.fixture
def chinese(settings, tmp_path):
    zh_catalogue(settings, tmp_path, ZH)


def _links(body: str) -> list[str]:
    return re.findall(r"https?://[^\s]+", body)


def test_the_site_is_site_url_not_example_com():
    site = Site.objects.get_current()
    assert (site.domain, site.name) == ("popcorn.test", "Popcorn")


def test_verification_email_is_in_the_browsers_language_with_links_on_site_url():
    Client().post(
        reverse("account_signup"),
        {
            "username": "zh_fan",
            "email": "zh_fan@example.com",
            "password1": "flash-the-rom-2026",
            "password2": "flash-the-rom-2026",
        },
        headers={"accept-language": "zh-CN"},
    )
    [email] = mail.outbox
    assert "请确认您的Email地址" in email.subject  # allauth's own zh-Hans catalogue
    assert "popcorn.test" in email.body and "example.com/" not in email.body
    links = _links(email.body)
    assert links and all(link.startswith(SITE + "/") for link in links)
    assert any("/accounts/confirm-email/" in link for link in links)


@pytest.mark.parametrize(
    ("language", "words"), [("zh-hans", "密码重置邮件"), ("en", "Password Reset Email")]
)
def test_password_reset_is_in_the_members_language_not_the_pages(language, words):
    UserFactory(email="fan@example.com", language=language)
    page_language = "en" if language == "zh-hans" else "zh-CN"
    Client().post(
        reverse("account_reset_password"),
        {"email": "fan@example.com"},
        headers={"accept-language": page_language},
    )
    [email] = mail.outbox
    assert words in email.subject
    reset = [link for link in _links(email.body) if "/password/reset/key/" in link]
    assert reset and reset[0].startswith(SITE + "/accounts/password/reset/key/")


def test_a_notification_email_is_in_each_recipients_language(
    chinese, django_capture_on_commit_callbacks
):
    settings_email = {"reply": Delivery.EMAIL}
    zh_fan = UserFactory(
        username="zh_fan", language="zh-hans", notification_settings=settings_email
    )
    en_fan = UserFactory(username="en_fan", language="en", notification_settings=settings_email)
    thread = make_thread(author=zh_fan, title="Modem")
    forum_services.thread_watch(user=en_fan, thread=thread)
    replier = UserFactory(username="replier", language="en")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread=thread, author=replier, body="Try **safe mode**")

    emails = {email.to[0]: email for email in mail.outbox}
    zh, en = emails[zh_fan.email], emails[en_fan.email]
    assert "replier 回复了「Modem」" in zh.subject
    assert zh.body.startswith("zh_fan，你好：") and "不再接收这类邮件：" in zh.body
    assert zh.extra_headers["Content-Language"] == "zh-hans"
    assert "replier replied in “Modem”" in en.subject and en.body.startswith("Hi en_fan,")
    assert en.extra_headers["Content-Language"] == "en"
    for email in (zh, en):
        assert "> Try safe mode" in email.body  # the plain-text excerpt
        assert all(link.startswith(SITE + "/") for link in _links(email.body))
        assert email.extra_headers["List-Unsubscribe"].startswith(f"<{SITE}/")


def test_an_invitation_is_in_the_inviters_language(
    chinese, settings, django_capture_on_commit_callbacks
):
    inviter = UserFactory(username="inviter", language="zh-hans", reputation=10_000)
    with django_capture_on_commit_callbacks(execute=True):
        code = services.invitation_create(creator=inviter, email="friend@example.com")
    [email] = mail.outbox
    assert "inviter 邀请你加入" in email.subject
    assert f"{SITE}/join/{code.code}" in email.body


def test_a_programme_invitation_is_mailed_in_the_invitees_language(
    chinese, django_capture_on_commit_callbacks
):
    zh_fan, en_fan = UserFactory(language="zh-hans"), UserFactory(language="en")
    program = make_program(name="Xiaomi 14 beta")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        for user in (zh_fan, en_fan):  # staff working in English
            invite(program=program, user=user)
    emails = {email.to[0]: email for email in mail.outbox}
    assert "你受邀参加内测「Xiaomi 14 beta」" in emails[zh_fan.email].subject
    assert "invited to the early-access program “Xiaomi 14 beta”" in emails[en_fan.email].subject
    code = ProgramMembership.objects.get(user=zh_fan).code
    assert f"{SITE}/early-access/i/{code}/" in emails[zh_fan.email].body


def test_a_large_export_mails_its_requester_in_their_language(
    chinese, settings, django_capture_on_commit_callbacks
):
    settings.POPCORN = {**settings.POPCORN, "EXPORT_STREAM_MAX_ROWS": 1}
    staff = StaffFactory(language="zh-hans")
    UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        export = moderation_services.export_start(
            actor=staff, submitted={}, include_emails=False, total_rows=2
        )
    export.refresh_from_db()
    assert export.status == UserExport.Status.DONE
    [email] = mail.outbox
    assert email.to == [staff.email] and "你的成员导出已完成（2 行）" in email.subject
    assert f"{SITE}/mod/console/exports/{export.pk}/" in email.body


def test_no_export_email_for_a_streamed_export(django_capture_on_commit_callbacks):
    staff = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.export_start(
            actor=staff, submitted={}, include_emails=False, total_rows=1
        )
    assert mail.outbox == []
    assert moderation_services.export_ready_email_send(export_id=UserExport.objects.get().pk) == 0
