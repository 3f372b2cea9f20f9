"""programs over the API, the member's side: what I can see, my invitations, accepting,
declining, leaving and cooling off."""

import pytest
from django.utils import timezone

from accounts import services
from accounts.models import MembershipState, Program, ProgramMembership
from tests.accounts.programs_world import invite, make_program, remove
from tests.api.conftest import token_client
from tests.api.roles import ROLES, TOKEN_AUTH_QUERIES, make_caller
from tests.factories import DeviceFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _state(membership) -> str:
    return ProgramMembership.objects.get(pk=membership.pk).state


def _taken(program) -> int:
    return Program.objects.get(pk=program.pk).seats_taken


def test_i_see_the_programmes_i_was_invited_to(member, member_api):
    mine = make_program(name="Mine", devices=[DeviceFactory(codename="houji")])
    make_program(name="Not mine")
    invite(program=mine, user=member)
    rows = member_api.get("/api/v1/programs/").json()["results"]
    assert [(r["name"], r["devices"], r["seats_left"]) for r in rows] == [("Mine", ["houji"], 10)]
    assert member_api.get(f"/api/v1/programs/{mine.pk}/").json()["is_open"] is True


def test_a_programme_i_was_never_invited_to_is_a_404(member_api):
    other = make_program()
    assert member_api.get(f"/api/v1/programs/{other.pk}/").status_code == 404
    assert member_api.post(f"/api/v1/programs/{other.pk}/leave/").status_code == 404


def test_staff_see_every_programme():
    make_program(name="One")
    make_program(name="Two")
    rows = token_client(StaffFactory()).get("/api/v1/programs/").json()["results"]
    assert {r["name"] for r in rows} == {"One", "Two"}


def test_my_invitations_and_memberships_by_state(member, member_api):
    pending = invite(program=make_program(name="Pending"), user=member)
    accepted = invite(program=make_program(name="Joined"), user=member)
    services.program_accept(user=member, code=accepted.code)
    rows = member_api.get("/api/v1/programs/invitations/").json()["results"]
    assert {r["program"]["name"]: r["state"] for r in rows} == {
        "Pending": "invited",
        "Joined": "accepted",
    }
    invited = member_api.get("/api/v1/programs/invitations/?state=invited").json()["results"]
    assert [r["code"] for r in invited] == [pending.code]
    assert invited[0]["invited_by"] == "programme_staff" and invited[0]["state_label"] == "Invited"
    one = member_api.get(f"/api/v1/programs/invitations/{pending.code}/").json()
    assert one["expires_at"] and one["program"]["name"] == "Pending"
    assert member_api.get("/api/v1/programs/invitations/?state=maybe").status_code == 400


def test_an_invitation_past_its_expiry_reads_as_expired(member, member_api):
    membership = invite(program=make_program(), user=member)
    ProgramMembership.objects.filter(pk=membership.pk).update(expires_at=timezone.now())
    row = member_api.get(f"/api/v1/programs/invitations/{membership.code}/").json()
    assert row["state"] == "expired"
    refused = member_api.post(f"/api/v1/programs/invitations/{membership.code}/accept/")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "This invitation has expired."


def test_accepting_takes_a_seat(member, member_api):
    program = make_program(seats=2)
    membership = invite(program=program, user=member)
    response = member_api.post(f"/api/v1/programs/invitations/{membership.code}/accept/")
    assert response.status_code == 200
    assert response.json()["state"] == "accepted" and response.json()["program"]["seats_left"] == 1
    assert _taken(program) == 1
    again = member_api.post(f"/api/v1/programs/invitations/{membership.code}/accept/")
    assert again.status_code == 409
    assert again.json()["detail"] == "You are already a member of this program."
    assert _taken(program) == 1


def test_a_full_programme_is_a_409_and_the_invitation_stays_open(member, member_api):
    program = make_program(seats=1)
    first = UserFactory()
    services.program_accept(user=first, code=invite(program=program, user=first).code)
    membership = invite(program=program, user=member)
    response = member_api.post(f"/api/v1/programs/invitations/{membership.code}/accept/")
    assert response.status_code == 409
    assert response.json()["detail"].startswith("All seats in “")
    assert _state(membership) == MembershipState.INVITED and _taken(program) == 1


def test_declining(member, member_api):
    program = make_program()
    membership = invite(program=program, user=member)
    response = member_api.post(f"/api/v1/programs/invitations/{membership.code}/decline/")
    assert response.status_code == 200 and response.json()["state"] == "declined"
    assert _taken(program) == 0
    again = member_api.post(f"/api/v1/programs/invitations/{membership.code}/accept/")
    assert again.status_code == 409 and _state(membership) == MembershipState.DECLINED


def test_leaving_frees_the_seat_and_starts_a_cooling_off(member, member_api):
    program = make_program(name="Beta")
    services.program_accept(user=member, code=invite(program=program, user=member).code)
    response = member_api.post(f"/api/v1/programs/{program.pk}/leave/")
    assert response.status_code == 200
    assert response.json()["state"] == "left" and response.json()["cooling_off_until"]
    assert _taken(program) == 0
    (cooling,) = member_api.get("/api/v1/programs/cooling-off/").json()["results"]
    assert cooling["program_name"] == "Beta" and cooling["state"] == "left"
    again = member_api.post(f"/api/v1/programs/{program.pk}/leave/")
    assert again.status_code == 409
    assert again.json()["detail"] == "You are not a member of this program."


def test_being_removed_shows_as_a_cooling_off(member, member_api):
    program = make_program(name="Beta")
    membership = invite(program=program, user=member)
    services.program_accept(user=member, code=membership.code)
    remove(membership=membership, reason="Leaked screenshots")
    (cooling,) = member_api.get("/api/v1/programs/cooling-off/").json()["results"]
    assert cooling["state"] == "removed"
    row = member_api.get(f"/api/v1/programs/invitations/{membership.code}/").json()
    assert row["end_reason"] == "Leaked screenshots"


@pytest.mark.parametrize("role", ROLES)
def test_only_the_invited_member_answers(role):
    invited = UserFactory()
    program = make_program()
    membership = invite(program=program, user=invited)
    _user, client = make_caller(role)
    for action in ("accept", "decline"):
        response = client.post(f"/api/v1/programs/invitations/{membership.code}/{action}/")
        assert response.status_code == (401 if role == "anonymous" else 404)
    assert client.get(f"/api/v1/programs/invitations/{membership.code}/").status_code == (
        401 if role == "anonymous" else 404
    )
    assert _state(membership) == MembershipState.INVITED and _taken(program) == 0


@pytest.mark.parametrize("role", ROLES[1:])
def test_every_signed_in_role_answers_its_own_invitation(role):
    """As on the page: accepting is not posting, so restricted members may too."""
    user, client = make_caller(role)
    program = make_program()
    membership = invite(program=program, user=user)
    response = client.post(f"/api/v1/programs/invitations/{membership.code}/accept/")
    assert response.status_code == 200 and _taken(program) == 1
    assert client.post(f"/api/v1/programs/{program.pk}/leave/").status_code == 200
    assert _taken(program) == 0


def test_anonymous_sees_no_programmes(api):
    program = make_program()
    for url in (
        "/api/v1/programs/",
        f"/api/v1/programs/{program.pk}/",
        "/api/v1/programs/invitations/",
        "/api/v1/programs/cooling-off/",
    ):
        assert api.get(url).status_code == 401
    assert api.post(f"/api/v1/programs/{program.pk}/leave/").status_code == 401


def test_the_lists_queries_do_not_grow(member, member_api, django_assert_num_queries):
    def list_with(count):
        for _ in range(count):
            program = make_program(devices=[DeviceFactory()])
            services.program_accept(user=member, code=invite(program=program, user=member).code)
            services.program_leave(user=member, program=program)
        # The page, and the programmes' devices.
        with django_assert_num_queries(TOKEN_AUTH_QUERIES + 2):
            assert member_api.get("/api/v1/programs/?page_size=50").status_code == 200
        with django_assert_num_queries(TOKEN_AUTH_QUERIES + 2):
            url = "/api/v1/programs/invitations/?page_size=50"
            assert member_api.get(url).status_code == 200
        with django_assert_num_queries(TOKEN_AUTH_QUERIES + 1):
            assert member_api.get("/api/v1/programs/cooling-off/?page_size=50").status_code == 200

    list_with(2)
    list_with(6)
