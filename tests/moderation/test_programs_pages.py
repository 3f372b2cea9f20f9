"""Staff pages for early-access programs: permissions on every URL, forms, audit rows,
and query counts that do not grow with the rows shown."""

import secrets
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import (
    MembershipState,
    Program,
    ProgramCandidate,
    ProgramMembership,
)
from forum.models import Board, BoardModerator
from moderation.models import AuditLog
from tests.accounts.programs_world import invite, make_program
from tests.factories import BoardFactory, DeviceFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return make_program(seats=5)


@pytest.fixture
def staff_client(staff):
    client = Client()
    client.force_login(staff)
    return client


def _client_for(role):
    if role == "anonymous":
        return Client()
    if role == "member":
        user = UserFactory()
    elif role == "board_moderator":
        user = UserFactory()
        BoardModerator.objects.create(board=BoardFactory(), user=user)
    elif role == "global_moderator":
        user = UserFactory(is_global_moderator=True)
    else:
        user = StaffFactory()
    client = Client()
    client.force_login(user)
    return client


def _routes(program, membership):
    pk = program.pk
    return [
        ("get", reverse("moderation:programs"), {}),
        ("get", reverse("moderation:program_create"), {}),
        ("post", reverse("moderation:program_create"), {"name": "x"}),
        ("get", reverse("moderation:program", args=[pk]), {}),
        ("get", reverse("moderation:program", args=[pk]) + "?tab=accepted", {}),
        ("get", reverse("moderation:program_edit", args=[pk]), {}),
        ("post", reverse("moderation:program_edit", args=[pk]), {"name": "x"}),
        ("post", reverse("moderation:program_invite", args=[pk]), {"username": "nobody"}),
        ("post", reverse("moderation:program_invite_selected", args=[pk]), {"users": ["1"]}),
        ("post", reverse("moderation:program_invite_all", args=[pk]), {}),
        ("post", reverse("moderation:program_flag", args=[pk]), {}),
        (
            "post",
            reverse("moderation:program_remove", args=[pk, membership.pk]),
            {"reason": "test"},
        ),
    ]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("member", False),
        ("board_moderator", False),
        ("global_moderator", False),
        ("staff", True),
    ],
)
def test_every_program_url_is_for_staff_only(program, role, allowed):
    membership = invite(program=program, user=UserFactory(), actor=None)
    audited = AuditLog.objects.count()  # the set-up's own create and invite
    client = _client_for(role)
    for method, url, data in _routes(program, membership):
        response = getattr(client, method)(url, data)
        if allowed:
            assert response.status_code in (200, 302, 400), (url, response.status_code)
        elif role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 403, (role, url, response.status_code)
    if not allowed:
        # Nothing was written by the refused requests.
        assert Program.objects.count() == 1
        assert _state(membership) == MembershipState.INVITED
        assert AuditLog.objects.count() == audited


def test_writes_need_post(staff_client, program):
    for name in ("program_invite_all", "program_flag", "program_invite"):
        assert staff_client.get(reverse(f"moderation:{name}", args=[program.pk])).status_code == 405


def _state(membership):
    return ProgramMembership.objects.values_list("state", flat=True).get(pk=membership.pk)


# Creating and editing ---------------------------------------------------------------


def _form_data(**overrides):
    data = {
        "name": "Xiaomi 14 closed beta 15.0",
        "slug": "x14-beta",
        "description": "HyperOS 15 beta",
        "seats": "20",
        "starts_at": "2026-04-01T10:00",
        "ends_at": "2026-06-01T10:00",
        "status": "open",
        "min_reputation": "0",
        "min_level": "senior",
        "min_days_active_30d": "15",
        "min_posts_30d": "10",
        "min_account_age_days": "30",
        "exclude_suspended": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_staff_create_a_program_with_devices_and_a_private_board(staff_client, staff):
    device = DeviceFactory()
    board = BoardFactory()
    response = staff_client.post(
        reverse("moderation:program_create"),
        _form_data(requires_device="on", devices=[device.pk], board=board.pk),
    )
    program = Program.objects.get(slug="x14-beta")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("moderation:program", args=[program.pk]))
    assert list(program.devices.all()) == [device]
    assert program.min_level == "senior" and program.requires_device and program.seats == 20
    assert Board.objects.get(pk=board.pk).program_id == program.pk
    row = AuditLog.objects.get(action=AuditLog.Action.PROGRAM_CREATE)
    assert row.actor == staff and row.target_id == program.pk and row.after["board"] == board.pk


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"seats": "-1"}, "seats"),
        ({"ends_at": "2026-03-01T10:00"}, "ends_at"),
        ({"min_level": "wizard"}, "min_level"),
        ({"requires_device": "on"}, "devices"),
        ({"starts_at": "not a date"}, "starts_at"),
    ],
)
def test_bad_input_gets_a_form_error_and_writes_nothing(staff_client, overrides, field):
    response = staff_client.post(reverse("moderation:program_create"), _form_data(**overrides))
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors or any(field in str(e) for e in form.non_field_errors()), (
        form.errors
    )
    assert not Program.objects.exists()
    assert not AuditLog.objects.exists()


def test_seats_below_the_seats_taken_is_a_form_error(staff_client, program):
    for _ in range(2):
        user = UserFactory()
        invitation = invite(program=program, user=user, actor=None)
        account_services.program_accept(user=user, code=invitation.code)
    response = staff_client.post(
        reverse("moderation:program_edit", args=[program.pk]),
        _form_data(slug=program.slug, seats="1", min_level=""),
    )
    assert response.status_code == 400
    assert "2 seats are already taken" in response.content.decode()
    assert Program.objects.get(pk=program.pk).seats == 5


def test_editing_audits_what_changed_and_moves_the_private_board(staff_client, program):
    old_board, new_board = BoardFactory(), BoardFactory()
    staff_client.post(
        reverse("moderation:program_edit", args=[program.pk]),
        _form_data(slug=program.slug, board=old_board.pk),
    )
    staff_client.post(
        reverse("moderation:program_edit", args=[program.pk]),
        _form_data(slug=program.slug, board=new_board.pk, seats="30"),
    )
    assert Board.objects.get(pk=old_board.pk).program_id is None
    assert Board.objects.get(pk=new_board.pk).program_id == program.pk
    last = AuditLog.objects.filter(action=AuditLog.Action.PROGRAM_UPDATE).first()
    assert last.before == {"board": old_board.pk, "seats": 20}
    assert last.after == {"board": new_board.pk, "seats": 30}


# Inviting and removing ----------------------------------------------------------------


def _candidates(program, n):
    users = [UserFactory() for _ in range(n)]
    ProgramCandidate.objects.bulk_create(
        ProgramCandidate(
            program=program,
            user=u,
            score=100 - i,
            days_active_30d=20,
            posts_30d=i,
            reputation=1_000,
        )
        for i, u in enumerate(users)
    )
    return users


def test_invite_selected_and_invite_all_from_the_candidates_tab(staff_client, staff, program):
    users = _candidates(program, 4)
    response = staff_client.post(
        reverse("moderation:program_invite_selected", args=[program.pk]),
        {"users": [users[0].pk, users[1].pk]},
    )
    assert response.status_code == 302
    invited = ProgramMembership.objects.filter(state=MembershipState.INVITED)
    assert set(invited.values_list("user_id", flat=True)) == {users[0].pk, users[1].pk}
    staff_client.post(reverse("moderation:program_invite_all", args=[program.pk]))
    assert invited.count() == 4
    rows = AuditLog.objects.filter(action=AuditLog.Action.PROGRAM_INVITE_MANY).order_by("pk")
    assert [r.after["invited"] for r in rows] == [2, 2]
    assert all(r.actor == staff for r in rows)


def test_invite_selected_without_a_choice_is_refused_with_a_message(staff_client, program):
    response = staff_client.post(
        reverse("moderation:program_invite_selected", args=[program.pk]), {}, follow=True
    )
    assert "Choose at least one candidate" in response.content.decode()
    assert not ProgramMembership.objects.exists()


def test_invite_one_by_username_and_the_cooling_off_message(staff_client, program):
    user = UserFactory(username="keenfan")
    url = reverse("moderation:program_invite", args=[program.pk])
    staff_client.post(url, {"username": "keenfan"})
    membership = ProgramMembership.objects.get(user=user)
    assert AuditLog.objects.filter(
        action=AuditLog.Action.PROGRAM_INVITE, target_id=user.pk
    ).exists()
    remove = reverse("moderation:program_remove", args=[program.pk, membership.pk])
    staff_client.post(remove, {"reason": "Shared the build"})
    assert _state(membership) == MembershipState.REMOVED
    response = staff_client.post(url, {"username": "keenfan"}, follow=True)
    assert "cannot be invited again before" in response.content.decode()
    assert ProgramMembership.objects.filter(user=user).count() == 1
    response = staff_client.post(url, {"username": "ghost"}, follow=True)
    assert "no member with this username" in response.content.decode()


def test_removing_a_member_needs_a_reason_and_is_audited(staff_client, staff, program):
    user = UserFactory()
    invitation = invite(program=program, user=user, actor=None)
    account_services.program_accept(user=user, code=invitation.code)
    url = reverse("moderation:program_remove", args=[program.pk, invitation.pk])
    staff_client.post(url, {"reason": ""})
    assert _state(invitation) == MembershipState.ACCEPTED
    staff_client.post(url, {"reason": "Inactive"})
    assert _state(invitation) == MembershipState.REMOVED
    assert Program.objects.get(pk=program.pk).seats_taken == 0
    row = AuditLog.objects.get(action=AuditLog.Action.PROGRAM_REMOVE)
    assert (row.actor, row.target_id, row.reason) == (staff, user.pk, "Inactive")
    assert row.before["state"] == "accepted" and row.after["state"] == "removed"


def test_a_membership_of_another_program_is_404(staff_client, program):
    other = make_program()
    membership = invite(program=other, user=UserFactory(), actor=None)
    url = reverse("moderation:program_remove", args=[program.pk, membership.pk])
    assert staff_client.post(url, {"reason": "x"}).status_code == 404


# The program page -------------------------------------------------------------------------


def _fill(program, n):
    """n rows in every state, plus n candidates."""
    _candidates(program, n)
    now = timezone.now()
    rows = []
    for state in MembershipState.values:
        for _ in range(n):
            rows.append(
                ProgramMembership(
                    program=program,
                    user=UserFactory(),
                    code=secrets.token_urlsafe(16),
                    state=state,
                    invited_by=None,
                    expires_at=now + timedelta(days=1),
                    ended_at=now if state in ("left", "removed") else None,
                    cooling_off_until=now + timedelta(days=9) if state == "removed" else None,
                )
            )
    ProgramMembership.objects.bulk_create(rows)


def test_the_program_page_shows_counts_for_every_tab(staff_client, program):
    _fill(program, 2)
    # One pending invitation already past its expiry counts as expired.
    ProgramMembership.objects.filter(state="invited").order_by("pk").first()
    stale = ProgramMembership.objects.filter(state="invited").order_by("pk")[:1]
    ProgramMembership.objects.filter(pk__in=stale).update(expires_at=timezone.now())
    response = staff_client.get(reverse("moderation:program", args=[program.pk]))
    assert response.context["counts"] == {
        "candidates": 2,
        "invited": 1,
        "accepted": 2,
        "declined": 2,
        "expired": 3,
        "left": 2,
        "removed": 2,
    }
    html = response.content.decode()
    assert "Invite all candidates" in html and "Invite selected" in html
    assert "days active 20/30" in html


@pytest.mark.parametrize("tab", ["candidates", "invited", "accepted", "removed", "expired"])
def test_program_page_queries_do_not_grow_with_rows(staff_client, tab, django_assert_num_queries):
    small, large = make_program(), make_program()
    _fill(small, 1)
    _fill(large, 12)
    url = reverse("moderation:program", args=[small.pk]) + f"?tab={tab}"
    staff_client.get(url)
    # session, user, program, its devices, state counts, candidate count, page COUNT, page rows
    with django_assert_num_queries(8):
        assert staff_client.get(url).status_code == 200
    with django_assert_num_queries(8):
        staff_client.get(reverse("moderation:program", args=[large.pk]) + f"?tab={tab}")


def test_program_list_queries_do_not_grow(staff_client, django_assert_num_queries):
    make_program()
    staff_client.get(reverse("moderation:programs"))
    with django_assert_num_queries(3):
        staff_client.get(reverse("moderation:programs"))
    for _ in range(5):
        _fill(make_program(), 1)
    with django_assert_num_queries(3):
        response = staff_client.get(reverse("moderation:programs"))
    assert len(response.context["programs"]) == 6
    assert response.context["programs"][0].candidate_count == 1


def test_an_unknown_tab_falls_back_to_candidates(staff_client, program):
    response = staff_client.get(reverse("moderation:program", args=[program.pk]) + "?tab=<x>")
    assert response.status_code == 200 and response.context["tab"] == "candidates"


def test_refresh_candidates_now_runs_the_flagging(staff_client, program):
    program.min_reputation = 100
    program.save()
    UserFactory(reputation=500)
    UserFactory(reputation=10)
    response = staff_client.post(reverse("moderation:program_flag", args=[program.pk]), follow=True)
    assert "1 qualifies" in response.content.decode()
    assert ProgramCandidate.objects.filter(program=program).count() == 1
