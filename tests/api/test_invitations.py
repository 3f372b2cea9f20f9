"""invitations over the API: my codes and quota, creating and emailing one, checking a
code, revoking, and the people I invited."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts import services
from accounts.levels import threshold_of
from accounts.models import InvitationCode
from tests.api.conftest import token_client
from tests.api.roles import ROLES, TOKEN_AUTH_QUERIES, make_caller
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

ACTIVE = threshold_of("active")


@pytest.fixture
def inviter(db):
    return UserFactory(reputation=ACTIVE)


@pytest.fixture
def inviter_api(inviter):
    return token_client(inviter)


def _codes(user) -> int:
    return InvitationCode.objects.filter(creator=user).count()


def test_creating_a_code_shows_it_in_my_list(inviter, inviter_api):
    response = inviter_api.post(
        "/api/v1/invitations/", {"max_uses": 2, "expires_in_days": 7}, format="json"
    )
    assert response.status_code == 201, response.content
    code = response.json()
    assert code["status"] == "open" and code["max_uses"] == 2 and code["uses_left"] == 2
    assert code["join_url"] == f"http://popcorn.test/join/{code['code']}"
    listed = inviter_api.get("/api/v1/invitations/").json()["results"]
    assert [row["code"] for row in listed] == [code["code"]]


def test_creating_with_an_email_sends_the_link(
    inviter, inviter_api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = inviter_api.post(
            "/api/v1/invitations/", {"email": "friend@example.com"}, format="json"
        )
    assert response.status_code == 201
    assert response.json()["sent_to"] == "friend@example.com"
    (message,) = mail.outbox
    assert message.to == ["friend@example.com"] and response.json()["code"] in message.body


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"max_uses": 0}, "max_uses"),
        ({"max_uses": 21}, "max_uses"),
        ({"max_uses": 6}, "max_uses"),  # over the month's quota of 5
        ({"expires_in_days": 91}, "expires_in_days"),
        ({"max_uses": "many"}, "max_uses"),
        ({"max_uses": 10**30}, "max_uses"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_bad_codes_are_400s_on_their_field_and_make_nothing(inviter, inviter_api, payload, field):
    response = inviter_api.post("/api/v1/invitations/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert _codes(inviter) == 0


@pytest.mark.parametrize("role", ROLES)
def test_who_may_create_a_code(role):
    """Members at the inviting level and staff; not below it, nor restricted, nor anonymous."""
    user, client = make_caller(role, reputation=ACTIVE)
    response = client.post("/api/v1/invitations/", {}, format="json")
    if role == "anonymous":
        assert response.status_code == 401
        assert not InvitationCode.objects.exists()
        return
    if role == "suspended":
        assert response.status_code == 403
        assert response.json()["detail"] == (
            "You cannot invite new members while your account is restricted."
        )
        assert _codes(user) == 0
        return
    assert response.status_code == 201
    assert client.get("/api/v1/invitations/").json()["results"][0]["id"] == response.json()["id"]


def test_below_the_level_is_a_403_with_the_pages_reason():
    fan = UserFactory(reputation=ACTIVE - 1)
    client = token_client(fan)
    response = client.post("/api/v1/invitations/", {}, format="json")
    assert response.status_code == 403
    assert (
        response.json()["detail"]
        == client.get("/api/v1/invitations/quota/").json()["denied_reason"]
    )
    assert "Active level" in response.json()["detail"] and _codes(fan) == 0


def test_my_quota(inviter, inviter_api):
    before = inviter_api.get("/api/v1/invitations/quota/").json()
    assert before["can_invite"] is True and before["denied_reason"] is None
    assert before["quota"] == 5 and before["left"] == 5 and before["max_uses_allowed"] == 20
    assert before["default_expiry_days"] == 30 and before["max_expiry_days"] == 90
    assert before["registration_mode"] == "open"
    inviter_api.post("/api/v1/invitations/", {"max_uses": 3}, format="json")
    assert inviter_api.get("/api/v1/invitations/quota/").json()["left"] == 2


def test_staff_have_no_quota():
    body = token_client(StaffFactory(reputation=0)).get("/api/v1/invitations/quota/").json()
    assert body["quota"] is None and body["left"] is None and body["can_invite"] is True


def test_sending_a_code_by_email(inviter, inviter_api, django_capture_on_commit_callbacks):
    code = services.invitation_create(creator=inviter)
    with django_capture_on_commit_callbacks(execute=True):
        response = inviter_api.post(
            f"/api/v1/invitations/{code.pk}/send/", {"email": "pal@example.com"}, format="json"
        )
    assert response.status_code == 200 and response.json()["sent_to"] == "pal@example.com"
    assert mail.outbox[0].to == ["pal@example.com"]
    again = inviter_api.post(
        f"/api/v1/invitations/{code.pk}/send/", {"email": "pal@example.com"}, format="json"
    )
    assert again.status_code == 400
    assert again.json()["errors"]["email"] == [
        "This code was emailed a moment ago; you can send it again later."
    ]
    assert len(mail.outbox) == 1


def test_someone_elses_code_is_a_404_to_send_and_revoke(inviter):
    code = services.invitation_create(creator=inviter)
    other = token_client(UserFactory(reputation=ACTIVE))
    sent = other.post(f"/api/v1/invitations/{code.pk}/send/", {"email": "x@example.com"})
    revoked = other.post(f"/api/v1/invitations/{code.pk}/revoke/")
    assert (sent.status_code, revoked.status_code) == (404, 404)
    code.refresh_from_db()
    assert code.sent_to == "" and code.revoked_at is None


def test_a_restricted_creator_may_not_send(inviter):
    code = services.invitation_create(creator=inviter)
    inviter.silenced_until = timezone.now() + timedelta(days=1)
    inviter.save()
    response = token_client(inviter).post(
        f"/api/v1/invitations/{code.pk}/send/", {"email": "x@example.com"}
    )
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "You cannot send invitations while your account is restricted."
    )
    code.refresh_from_db()
    assert code.sent_to == ""


def test_revoking_a_code(inviter, inviter_api):
    code = services.invitation_create(creator=inviter, max_uses=3)
    response = inviter_api.post(f"/api/v1/invitations/{code.pk}/revoke/")
    assert response.status_code == 200 and response.json()["status"] == "revoked"
    assert inviter_api.get("/api/v1/invitations/quota/").json()["left"] == 5
    assert inviter_api.post(f"/api/v1/invitations/{code.pk}/revoke/").status_code == 200
    check = inviter_api.get(f"/api/v1/invitations/check/?code={code.code}").json()
    assert check["valid"] is False and check["reason"] == "revoked"


def test_checking_a_code_needs_no_account(api, inviter):
    code = services.invitation_create(creator=inviter, max_uses=2)
    typed = f"{code.code[:4].lower()}-{code.code[4:8]} {code.code[8:]}"
    body = api.get("/api/v1/invitations/check/", {"code": typed}).json()
    assert body["valid"] is True and body["code"] == code.code
    assert body["inviter_name"] == inviter.username and body["uses_left"] == 2
    assert body["reason"] is None and body["message"] is None


@pytest.mark.parametrize("reason", ["unknown", "used", "expired"])
def test_checking_a_code_says_why_not(api, inviter, reason):
    code = services.invitation_create(creator=inviter)
    raw = code.code
    if reason == "unknown":
        raw = "NOSUCHCODE22"
    elif reason == "used":
        services.invitation_redeem(code=code.code, invitee=UserFactory())
    else:
        InvitationCode.objects.filter(pk=code.pk).update(
            expires_at=timezone.now() - timedelta(days=1)
        )
    body = api.get("/api/v1/invitations/check/", {"code": raw}).json()
    assert body["valid"] is False and body["reason"] == reason and body["message"]


def test_checking_without_a_code_is_a_400(api):
    response = api.get("/api/v1/invitations/check/")
    assert response.status_code == 400 and "code" in response.json()["errors"]


def test_checking_codes_is_throttled_per_address(api, settings):
    throttles = {**settings.POPCORN["API_THROTTLES"], "search_address": "2/m"}
    settings.POPCORN = {**settings.POPCORN, "API_THROTTLES": throttles}
    for _ in range(2):
        assert api.get("/api/v1/invitations/check/?code=ABC").status_code == 200
    refused = api.get("/api/v1/invitations/check/?code=ABC")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0


def test_the_people_i_invited(inviter, inviter_api):
    code = services.invitation_create(creator=inviter, max_uses=3)
    first = UserFactory(username="first", display_name="First Fan")
    second = UserFactory(username="second")
    services.invitation_redeem(code=code.code, invitee=first)
    services.invitation_redeem(code=code.code, invitee=second)
    rows = inviter_api.get("/api/v1/invitations/invitees/").json()["results"]
    assert [(r["username"], r["name"]) for r in rows] == [
        ("second", "second"),
        ("first", "First Fan"),
    ]
    assert rows[0]["activated_at"] is None and rows[0]["active_deadline"] > rows[0]["joined_at"]
    quota = inviter_api.get("/api/v1/invitations/quota/").json()
    assert quota["invitee_count"] == 2 and quota["active_count"] == 0
    assert token_client(UserFactory()).get("/api/v1/invitations/invitees/").json()["results"] == []


def test_anonymous_has_no_codes_quota_or_invitees(api):
    for url in (
        "/api/v1/invitations/",
        "/api/v1/invitations/quota/",
        "/api/v1/invitations/invitees/",
    ):
        assert api.get(url).status_code == 401


def test_the_lists_queries_do_not_grow(django_assert_num_queries):
    staff = StaffFactory()
    client = token_client(staff)

    def list_with(count):
        code = services.invitation_create(creator=staff, max_uses=count)
        for _ in range(count - 1):
            services.invitation_create(creator=staff)
        for _ in range(count):
            services.invitation_redeem(code=code.code, invitee=UserFactory())
        with django_assert_num_queries(TOKEN_AUTH_QUERIES + 1):
            assert client.get("/api/v1/invitations/?page_size=50").status_code == 200
        with django_assert_num_queries(TOKEN_AUTH_QUERIES + 1):  # invitees joined
            assert client.get("/api/v1/invitations/invitees/?page_size=50").status_code == 200

    list_with(2)
    list_with(7)
