"""A member's data over the API: the archive asked for and listed, the account deleted
with the member's password; staff at a member's request; nobody else."""

import pytest

from accounts.models import MemberArchive, User
from moderation.models import AuditLog
from tests.api.conftest import token_client
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_member_asks_for_an_archive_and_finds_its_link(
    member, django_capture_on_commit_callbacks
):
    client = token_client(member)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post("/api/v1/me/archives/")
    assert asked.status_code == 202 and asked.json()["status"] == "pending"
    again = client.post("/api/v1/me/archives/")  # ready now: a new one is prepared
    assert again.status_code == 202
    listed = client.get("/api/v1/me/archives/").json()
    ready = [a for a in listed if a["status"] == "ready"]
    assert len(listed) == 2 and len(ready) == 1
    assert ready[0]["download_url"].startswith("http://testserver/settings/data/archive/")
    assert ready[0]["download_expires_in"] == 7 * 24 * 3600


def test_deleting_needs_the_password_then_erases_and_ends_the_token(member):
    client = token_client(member)
    wrong = client.post("/api/v1/me/delete/", {"password": "nope", "confirm": True}, format="json")
    assert wrong.status_code == 400 and list(wrong.json()["errors"]) == ["password"]
    unconfirmed = client.post(
        "/api/v1/me/delete/", {"password": "correct-horse-battery"}, format="json"
    )
    assert unconfirmed.status_code == 400 and "confirm" in unconfirmed.json()["errors"]
    assert User.objects.get(pk=member.pk).deleted_at is None

    done = client.post(
        "/api/v1/me/delete/", {"password": "correct-horse-battery", "confirm": True}, format="json"
    )
    assert done.status_code == 200
    assert done.json() == {"id": member.pk, "username": f"deleted-{member.pk}"}
    assert client.get("/api/v1/me/").status_code == 401


def test_staff_act_at_a_members_request_and_nobody_else(member):
    fan = UserFactory()
    outsider = token_client(member)
    assert outsider.post(f"/api/v1/staff/members/{fan.pk}/archive/").status_code == 403
    refused = outsider.post(
        f"/api/v1/staff/members/{fan.pk}/delete/", {"reason": "x", "confirm": True}, format="json"
    )
    assert refused.status_code == 403 and User.objects.get(pk=fan.pk).deleted_at is None

    staff = token_client(StaffFactory())
    assert staff.post(f"/api/v1/staff/members/{fan.pk}/archive/").status_code == 202
    assert MemberArchive.objects.filter(member=fan).count() == 1
    assert (
        staff.post(f"/api/v1/staff/members/{fan.pk}/delete/", {}, format="json").status_code == 400
    )
    deleted = staff.post(
        f"/api/v1/staff/members/{fan.pk}/delete/",
        {"reason": "Asked by email", "confirm": True},
        format="json",
    )
    assert deleted.status_code == 200
    assert AuditLog.objects.filter(
        action=AuditLog.Action.MEMBER_DELETE, reason="Asked by email"
    ).exists()
    other_staff = StaffFactory()
    assert staff.post(f"/api/v1/staff/members/{other_staff.pk}/archive/").status_code == 403
