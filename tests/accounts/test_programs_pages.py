"""A member's early-access page: accept, decline and leave by POST with CSRF."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services as account_services
from accounts.models import MembershipState, Program, ProgramMembership
from tests.factories import UserFactory

from .programs_world import invite, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(member):
    return invite(program=make_program(seats=1), user=member, actor=None)


def _state(membership):
    return ProgramMembership.objects.values_list("state", flat=True).get(pk=membership.pk)


def test_the_invitation_page_offers_accept_and_decline(member_client, invitation):
    response = member_client.get(reverse("accounts:program_invitation", args=[invitation.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert invitation.program.name in html and invitation.code in html
    assert reverse("accounts:program_accept", args=[invitation.code]) in html


def test_accepting_from_the_page_makes_a_member(member_client, invitation):
    response = member_client.post(reverse("accounts:program_accept", args=[invitation.code]))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:programs")
    assert _state(invitation) == MembershipState.ACCEPTED
    page = member_client.get(reverse("accounts:programs")).content.decode()
    assert "Leave" in page and invitation.program.name in page


def test_a_full_program_says_so_and_keeps_the_invitation(member_client, invitation):
    other = UserFactory()
    theirs = invite(program=invitation.program, user=other, actor=None)
    account_services.program_accept(user=other, code=theirs.code)
    response = member_client.post(
        reverse("accounts:program_accept", args=[invitation.code]), follow=True
    )
    assert "All seats" in response.content.decode()
    assert _state(invitation) == MembershipState.INVITED


def test_declining_and_leaving(member_client, member, invitation):
    member_client.post(reverse("accounts:program_decline", args=[invitation.code]))
    assert _state(invitation) == MembershipState.DECLINED
    again = invite(program=invitation.program, user=member, actor=None)
    member_client.post(reverse("accounts:program_accept", args=[again.code]))
    response = member_client.post(
        reverse("accounts:program_leave", args=[invitation.program.slug]), follow=True
    )
    assert _state(again) == MembershipState.LEFT
    assert "You left" in response.content.decode()
    assert Program.objects.get(pk=invitation.program.pk).seats_taken == 0


def test_writes_are_post_only_and_need_the_csrf_token(member, invitation):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    accept = reverse("accounts:program_accept", args=[invitation.code])
    assert client.get(accept).status_code == 405
    assert client.post(accept).status_code == 403
    assert _state(invitation) == MembershipState.INVITED


def test_someone_elses_code_is_not_found(invitation):
    client = Client()
    client.force_login(UserFactory())
    assert (
        client.get(reverse("accounts:program_invitation", args=[invitation.code])).status_code
        == 404
    )
    client.post(reverse("accounts:program_accept", args=[invitation.code]))
    assert _state(invitation) == MembershipState.INVITED


def test_anonymous_visitors_are_asked_to_sign_in(client, invitation):
    for url in (
        reverse("accounts:programs"),
        reverse("accounts:program_invitation", args=[invitation.code]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.post(reverse("accounts:program_accept", args=[invitation.code]))
    assert _state(invitation) == MembershipState.INVITED


def test_my_programs_page_queries_do_not_grow(member_client, member, django_assert_num_queries):
    invite(program=make_program(), user=member, actor=None)
    member_client.get(reverse("accounts:programs"))
    with django_assert_num_queries(4):  # 3, and the header's moderation reach
        member_client.get(reverse("accounts:programs"))
    for _ in range(6):
        m = invite(program=make_program(), user=member, actor=None)
        if _ % 2:
            account_services.program_accept(user=member, code=m.code)
    with django_assert_num_queries(4):  # 3, and the header's moderation reach
        html = member_client.get(reverse("accounts:programs")).content.decode()
    assert html.count("Leave</button>") == 3


def test_a_code_with_a_nul_byte_is_a_404_not_a_500(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get("/early-access/i/AB%00CD/").status_code == 404
    assert client.post("/early-access/i/AB%00CD/accept/").status_code == 404
