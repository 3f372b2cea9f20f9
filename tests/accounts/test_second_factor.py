"""Two-factor sign-in (allauth MFA) for every member, required of moderators and staff
before their tools open; and the list of a member's signed-in sessions."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP, format_hotp_value, hotp_value
from allauth.usersessions.models import UserSession
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from forum.models import BoardModerator
from tests.factories import BoardFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
LOGIN = "/accounts/login/"
MFA_LOGIN = "/accounts/2fa/authenticate/"
APP_LOGIN = "/_allauth/app/v1/auth/login"
APP_MFA = "/_allauth/app/v1/auth/2fa/authenticate"


@pytest.fixture
def required(settings):
    settings.POPCORN = {**settings.POPCORN, "MFA_REQUIRED_FOR_MODERATORS": True}


def code_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def with_totp(user) -> str:
    """An authenticator app for `user`, as the activation page leaves it; its secret."""
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTP.activate(user, secret)
    return secret


def password_login(username: str) -> Client:
    client = Client()
    response = client.post(LOGIN, {"login": username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def activate_totp(client: Client) -> str:
    """Turn on an authenticator app through the pages (password asked again first); its
    secret."""
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 302 and page["Location"].startswith("/accounts/reauthenticate/")
    client.post(page["Location"], {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    return client.session[SECRET_SESSION_KEY]


def full_login(user, secret: str) -> Client:
    client = password_login(user.username)
    response = client.post(MFA_LOGIN, {"code": code_now(secret)})
    assert response.status_code == 302 and response["Location"] != MFA_LOGIN
    return client


def board_moderator():
    moderator = UserFactory()
    BoardModerator.objects.create(board=BoardFactory(), user=moderator)
    return moderator


# Every member may turn it on ------------------------------------------------------


def test_a_member_turns_on_an_authenticator_app_and_is_asked_for_it_at_sign_in():
    fan = UserFactory()
    client = password_login(fan.username)
    assert client.get(reverse("mfa_index")).status_code == 200
    secret = activate_totp(client)
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200 and not Authenticator.objects.filter(user=fan).exists()
    client.post(reverse("mfa_activate_totp"), {"code": code_now(secret)})
    assert Authenticator.objects.filter(user=fan, type=Authenticator.Type.TOTP).exists()

    # Next time the password alone does not sign in: the code is asked for.
    again = Client()
    response = again.post(LOGIN, {"login": fan.username, "password": PASSWORD})
    assert response["Location"] == MFA_LOGIN
    assert "_auth_user_id" not in again.session
    assert again.post(MFA_LOGIN, {"code": "123456"}).status_code == 200
    assert "_auth_user_id" not in again.session
    again.post(MFA_LOGIN, {"code": code_now(secret)})
    assert again.session["_auth_user_id"] == str(fan.pk)


def test_a_recovery_code_signs_in_once():
    fan = UserFactory()
    with_totp(fan)
    codes = RecoveryCodes.activate(fan).get_unused_codes()
    client = password_login(fan.username)
    client.post(MFA_LOGIN, {"code": codes[0]})
    assert client.session["_auth_user_id"] == str(fan.pk)

    reused = password_login(fan.username)
    assert reused.post(MFA_LOGIN, {"code": codes[0]}).status_code == 200
    assert "_auth_user_id" not in reused.session


# Moderators and staff need it before their tools open ----------------------------


def test_a_moderator_signed_in_by_password_alone_is_locked_out_and_told_why(required):
    moderator = board_moderator()
    client = password_login(moderator.username)
    response = client.get(reverse("moderation:reports"))
    assert response.status_code == 403
    assert "two-factor" in response.content.decode()
    # Every page says so, with the way to turn it on.
    front = client.get("/").content.decode()
    assert "second-factor-banner" in front and reverse("mfa_index") in front
    assert reverse("moderation:reports") not in front


# allauth announces a new authenticator on commit: with real commits, as in production,
# that is inside the request, before the session is saved.
@pytest.mark.django_db(transaction=True)
def test_turning_it_on_opens_the_tools_in_the_same_session(required):
    moderator = board_moderator()
    client = password_login(moderator.username)
    secret = activate_totp(client)
    client.post(reverse("mfa_activate_totp"), {"code": code_now(secret)})
    assert client.get(reverse("moderation:reports")).status_code == 200
    assert "second-factor-banner" not in client.get("/").content.decode()


def test_a_moderator_signed_in_with_the_code_moderates(required):
    moderator = board_moderator()
    client = full_login(moderator, with_totp(moderator))
    assert client.get(reverse("moderation:reports")).status_code == 200


def test_staff_need_it_for_the_console_and_the_admin(required):
    staff = StaffFactory(is_superuser=True)
    secret = with_totp(staff)
    # A session that skipped the second factor (force_login: no sign-in methods recorded).
    client = Client()
    client.force_login(staff)
    assert client.get(reverse("moderation:console")).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 302  # the admin's own sign-in
    client = full_login(staff, secret)
    assert client.get(reverse("moderation:console")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_ordinary_members_are_not_asked_for_it(required):
    fan = UserFactory()
    client = password_login(fan.username)
    front = client.get("/").content.decode()
    assert "second-factor-banner" not in front
    # Their refusal stays the ordinary one.
    response = client.get(reverse("moderation:console"))
    assert response.status_code == 403 and "two-factor" not in response.content.decode()


@override_settings()
def test_off_by_setting_the_password_is_enough(settings):
    settings.POPCORN = {**settings.POPCORN, "MFA_REQUIRED_FOR_MODERATORS": False}
    moderator = board_moderator()
    client = password_login(moderator.username)
    assert client.get(reverse("moderation:reports")).status_code == 200


def test_the_app_needs_the_second_factor_for_staff_operations(required):
    staff = StaffFactory()
    secret = with_totp(staff)
    # Password alone: allauth headless asks for the code before it hands out a session.
    response = APIClient().post(
        APP_LOGIN, {"username": staff.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 401
    flows = {flow["id"]: flow for flow in response.json()["data"]["flows"]}
    assert flows["mfa_authenticate"].get("is_pending")
    token = response.json()["meta"]["session_token"]
    client = APIClient()
    client.credentials(HTTP_X_SESSION_TOKEN=token)
    assert client.get("/api/v1/staff/dashboard/").status_code == 401
    done = client.post(APP_MFA, {"code": code_now(secret)}, format="json")
    assert done.status_code == 200
    client.credentials(HTTP_X_SESSION_TOKEN=done.json()["meta"]["session_token"])
    assert client.get("/api/v1/staff/dashboard/").status_code == 200


def test_a_staff_token_without_the_second_factor_is_refused_staff_operations(required):
    staff = StaffFactory()  # no authenticator yet: the password signs the app in
    response = APIClient().post(
        APP_LOGIN, {"username": staff.username, "password": PASSWORD}, format="json"
    )
    client = APIClient()
    client.credentials(HTTP_X_SESSION_TOKEN=response.json()["meta"]["session_token"])
    refused = client.get("/api/v1/staff/dashboard/")
    assert refused.status_code == 403
    assert "two-factor" in refused.content.decode()
    assert client.get("/api/v1/sections/").status_code == 200


# Signed-in devices ---------------------------------------------------------------


def test_a_member_lists_their_sessions_and_ends_the_others():
    fan = UserFactory()
    phone = password_login(fan.username)
    laptop = password_login(fan.username)
    assert UserSession.objects.filter(user=fan).count() == 2
    page = phone.get(reverse("usersessions_list"))
    assert page.status_code == 200
    assert page.content.decode().count("<tr") >= 2
    phone.post(reverse("usersessions_list"))  # "sign out the other sessions"
    assert phone.get(reverse("accounts:profile_edit")).status_code == 200
    assert laptop.get(reverse("accounts:profile_edit")).status_code == 302
    assert UserSession.objects.filter(user=fan).count() == 1
