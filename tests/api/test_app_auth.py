"""Signing up and in from the app through allauth headless: invitation codes as on the
page, email verification, password reset, and the session token the API takes."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from accounts.models import InvitationRedemption, User
from tests.accounts.conftest import inviter, make_code, registration_mode  # noqa: F401
from tests.api.conftest import app_login

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/_allauth/app/v1/auth/signup"
NEW_FAN = {"username": "new_fan", "email": "new_fan@example.com", "password": "flash-the-rom-2026"}


def test_invite_only_sign_up_from_the_app_needs_a_code(registration_mode):  # noqa: F811
    registration_mode("invite_only")
    response = APIClient().post(SIGNUP_URL, NEW_FAN, format="json")
    assert response.status_code == 400
    assert {e["param"] for e in response.json()["errors"]} == {"invitation_code"}
    assert not User.objects.filter(username="new_fan").exists()


def test_a_code_signs_up_redeems_and_asks_to_verify_the_email(
    registration_mode,  # noqa: F811
    make_code,  # noqa: F811
    inviter,  # noqa: F811
):
    registration_mode("invite_only")
    code = make_code()
    response = APIClient().post(
        SIGNUP_URL, {**NEW_FAN, "invitation_code": code.code}, format="json"
    )
    # 401 with a pending "verify_email" flow: mandatory verification, as on the page.
    assert response.status_code == 401
    flows = {flow["id"]: flow for flow in response.json()["data"]["flows"]}
    assert flows["verify_email"].get("is_pending")
    assert InvitationRedemption.objects.get().inviter == inviter
    assert len(mail.outbox) == 1 and "new_fan@example.com" in mail.outbox[0].to


def test_a_bad_code_is_a_field_error(registration_mode):  # noqa: F811
    registration_mode("open_with_code")
    response = APIClient().post(
        SIGNUP_URL, {**NEW_FAN, "invitation_code": "NOPE-NOPE"}, format="json"
    )
    assert response.status_code == 400
    assert [e["param"] for e in response.json()["errors"]] == ["invitation_code"]


def test_login_gives_a_token_that_signs_out_too(member):
    token = app_login(member.username)
    client = APIClient()
    client.credentials(HTTP_X_SESSION_TOKEN=token)
    assert client.get("/_allauth/app/v1/auth/session").status_code == 200
    assert client.delete("/_allauth/app/v1/auth/session").status_code == 401
    # The token is gone with the session: the API now refuses it.
    assert client.get("/api/v1/sections/").status_code == 401


def test_password_reset_from_the_app_sends_the_email(member):
    response = APIClient().post(
        "/_allauth/app/v1/auth/password/request", {"email": member.email}, format="json"
    )
    assert response.status_code == 200
    assert len(mail.outbox) == 1


def test_failed_logins_hit_allauths_rate_limit(member):
    client = APIClient()
    codes = [
        client.post(
            "/_allauth/app/v1/auth/login",
            {"username": member.username, "password": "wrong"},
            format="json",
        ).json()["errors"][0]["code"]
        for _ in range(6)
    ]
    # ACCOUNT_RATE_LIMITS["login_failed"]: 5 per 5 minutes per account, as on the page.
    assert codes == ["username_password_mismatch"] * 5 + ["too_many_login_attempts"]
