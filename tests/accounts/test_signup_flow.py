import re

import pytest
from django.core import mail
from django.urls import reverse

from forum.models import Post, Thread
from tests.factories import BoardFactory

pytestmark = pytest.mark.django_db


def _confirmation_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_a_fan_signs_up_verifies_logs_in_starts_a_thread_and_replies(client):
    board = BoardFactory(name="Bug reports", slug="bugs")

    response = client.post(
        reverse("account_signup"),
        {
            "username": "mi_fan",
            "email": "mi_fan@example.com",
            "password1": "flash-the-rom-2026",
            "password2": "flash-the-rom-2026",
        },
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mi_fan@example.com"]

    # Mandatory verification: no session until the email is confirmed.
    response = client.get(reverse("forum:thread_create", args=[board.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    link = _confirmation_link(mail.outbox[0])
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    client.post(reverse("account_logout"))

    # Log in by email (username works too, see below).
    response = client.post(
        reverse("account_login"),
        {"login": "mi_fan@example.com", "password": "flash-the-rom-2026"},
    )
    assert response.status_code == 302

    response = client.post(
        reverse("forum:thread_create", args=[board.slug]),
        {
            "title": "Battery drains overnight on 14.0.3",
            "thread_type": "bug",
            "firmware_version": "V14.0.3.0.UNCCNXM",
            "body": "Lost **30%** overnight with Wi-Fi on.",
        },
    )
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()
    assert thread.author.username == "mi_fan"
    assert thread.firmware_version == "V14.0.3.0.UNCCNXM"

    response = client.post(reverse("forum:reply", args=[thread.pk]), {"body": "Same on mine."})
    assert response.status_code == 302
    assert response["Location"] == reverse("forum:floor", args=[thread.pk, 2])

    page = client.get(thread.get_absolute_url())
    assert "<strong>30%</strong>" in page.content.decode()
    assert "Same on mine." in page.content.decode()
    assert list(Post.objects.order_by("floor").values_list("floor", flat=True)) == [1, 2]


def test_log_in_by_username(client, member):
    response = client.post(
        reverse("account_login"), {"login": member.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile_edit")).status_code == 200


def test_failed_logins_are_rate_limited(client, member):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": member.username, "password": "wrong"})
    response = client.post(
        reverse("account_login"), {"login": member.username, "password": "correct-horse-battery"}
    )
    # allauth refuses further attempts for this login key, even the right password.
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_password_reset_mails_a_working_link(client, member):
    client.post(reverse("account_reset_password"), {"email": member.email})
    assert len(mail.outbox) == 1
    match = re.search(
        r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mail.outbox[0].body
    )
    assert match
    response = client.get(match.group(1), follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else match.group(1)
    response = client.post(
        form_url, {"password1": "a-new-firmware-pass", "password2": "a-new-firmware-pass"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("a-new-firmware-pass")


def test_password_change(member_client, member):
    response = member_client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "correct-horse-battery",
            "password1": "another-strong-pass-1",
            "password2": "another-strong-pass-1",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("another-strong-pass-1")


def test_signup_rejects_a_taken_username_and_keeps_what_was_typed(client, member):
    response = client.post(
        reverse("account_signup"),
        {
            "username": member.username,
            "email": "new_fan@example.com",
            "password1": "flash-the-rom-2026",
            "password2": "flash-the-rom-2026",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert 'value="new_fan@example.com"' in response.content.decode()


def test_signup_with_a_taken_email_creates_no_account_and_reveals_nothing(client, member):
    from accounts.models import User

    response = client.post(
        reverse("account_signup"),
        {
            "username": "someone_new",
            "email": member.email,
            "password1": "flash-the-rom-2026",
            "password2": "flash-the-rom-2026",
        },
    )
    # Same answer as a real sign-up (no account enumeration); the owner is told by mail.
    assert response.status_code == 302
    assert not User.objects.filter(username="someone_new").exists()
    assert mail.outbox[0].to == [member.email]
