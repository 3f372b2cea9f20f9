"""programs over the API, the staff's side: create and edit, candidates with scores and
reasons, inviting one, selected or all, removing, seats. Staff only, audited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services as account_services
from accounts.models import MembershipState, Program, ProgramCandidate, ProgramMembership
from forum.models import Board
from moderation.models import AuditLog
from tests.accounts.programs_world import fan, invite, make_program
from tests.api.conftest import token_client
from tests.api.roles import ROLES, TOKEN_AUTH_QUERIES, make_caller
from tests.factories import BoardFactory, DeviceFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

REASON = "Early-access programs are managed by staff."
NEW = {"name": "Xiaomi 15 beta", "slug": "x15-beta", "seats": 5, "status": "open"}


@pytest.fixture
def staff_api(db):
    return token_client(StaffFactory())


def _program_url(program, tail=""):
    return f"/api/v1/staff/programs/{program.pk}/{tail}"


# Who may ---------------------------------------------------------------------------------


def _writes(program, membership):
    """Every staff write, as (method, url, body)."""
    return [
        ("post", "/api/v1/staff/programs/", NEW),
        ("patch", _program_url(program), {"seats": 50}),
        ("post", _program_url(program, "memberships/"), {"username": "waiting"}),
        ("post", _program_url(program, "candidates/refresh/"), {}),
        ("post", _program_url(program, "candidates/invite/"), {"all": True}),
        (
            "post",
            _program_url(program, f"memberships/{membership.pk}/remove/"),
            {"reason": "Gone quiet"},
        ),
    ]


def _world_state(program, membership):
    program.refresh_from_db()
    return (
        Program.objects.count(),
        program.seats,
        program.flagged_at,
        ProgramMembership.objects.count(),
        ProgramMembership.objects.get(pk=membership.pk).state,
        AuditLog.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_manage_programmes(role):
    program = make_program(min_days_active_30d=0, min_posts_30d=0)
    member = UserFactory()
    membership = invite(program=program, user=member)
    account_services.program_accept(user=member, code=membership.code)
    UserFactory(username="waiting")
    ProgramCandidate.objects.create(program=program, user=UserFactory(), score=3)
    _user, client = make_caller(role)
    reads = [
        "/api/v1/staff/programs/",
        "/api/v1/staff/programs/free-boards/",
        _program_url(program),
        _program_url(program, "seats/"),
        _program_url(program, "candidates/"),
        _program_url(program, "memberships/"),
    ]
    before = _world_state(program, membership)
    if role == "staff":
        for url in reads:
            assert client.get(url).status_code == 200, url
        statuses = [
            getattr(client, method)(url, body, format="json").status_code
            for method, url, body in _writes(program, membership)
        ]
        assert statuses == [201, 200, 201, 200, 200, 200]
        assert AuditLog.objects.count() == before[-1] + 5  # refreshing is not audited
        return
    expected = 401 if role == "anonymous" else 403
    for url in reads:
        response = client.get(url)
        assert response.status_code == expected, url
    for method, url, body in _writes(program, membership):
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == expected, url
        if expected == 403:
            assert response.json()["detail"] == REASON
    assert _world_state(program, membership) == before


# Create and edit --------------------------------------------------------------------------


def test_creating_a_programme_with_its_devices_and_board(staff_api):
    phone = DeviceFactory(codename="dada")
    board = BoardFactory(slug="x15-testers")
    response = staff_api.post(
        "/api/v1/staff/programs/",
        {
            **NEW,
            "devices": ["dada"],
            "requires_device": True,
            "min_level": "core",
            "board": "x15-testers",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["devices"] == ["dada"] and body["board"] == "x15-testers"
    assert body["status"] == "open" and body["seats_left"] == 5 and body["min_level"] == "core"
    program = Program.objects.get(slug="x15-beta")
    assert list(program.devices.all()) == [phone]
    assert Board.objects.get(pk=board.pk).program_id == program.pk
    assert AuditLog.objects.filter(action=AuditLog.Action.PROGRAM_CREATE).count() == 1
    assert staff_api.get("/api/v1/staff/programs/").json()["results"][0]["slug"] == "x15-beta"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"seats": -1}, "seats"),
        ({"min_level": "wizard"}, "min_level"),
        ({"requires_device": True}, "devices"),
        ({"devices": ["nope"]}, "devices"),
        ({"board": "no-such-board"}, "board"),
        ({"starts_at": "2027-01-02T00:00:00Z", "ends_at": "2027-01-01T00:00:00Z"}, "ends_at"),
        ({"status": "maybe"}, "status"),
        ({"starts_at": "0713-01-21T03:19:40Z"}, "starts_at"),
        ({"ends_at": "9500-01-01T00:00:00Z"}, "ends_at"),
        ({"ends_at": "9999-12-31T23:59:59Z"}, "ends_at"),
    ],
)
def test_a_bad_programme_is_a_400_on_its_field(staff_api, payload, field):
    response = staff_api.post("/api/v1/staff/programs/", {**NEW, **payload}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not Program.objects.exists() and not AuditLog.objects.exists()


def test_a_taken_slug_is_a_400(staff_api):
    make_program(slug="x15-beta")
    response = staff_api.post("/api/v1/staff/programs/", NEW, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["slug"] == ["Another program already uses this slug."]


def test_a_board_private_to_another_programme_is_a_400(staff_api):
    board = BoardFactory(slug="taken")
    staff_api.post("/api/v1/staff/programs/", {**NEW, "board": "taken"}, format="json")
    other = {**NEW, "slug": "other", "board": "taken"}
    response = staff_api.post("/api/v1/staff/programs/", other, format="json")
    assert response.status_code == 400 and "board" in response.json()["errors"]
    assert Board.objects.get(pk=board.pk).program.slug == "x15-beta"
    assert not Program.objects.filter(slug="other").exists()


def test_the_boards_free_to_become_private(staff_api):
    free = BoardFactory(slug="free")
    BoardFactory(slug="taken", program=make_program())
    rows = staff_api.get("/api/v1/staff/programs/free-boards/").json()["results"]
    assert [r["slug"] for r in rows] == [free.slug]
    assert rows[0]["section"] == free.section.name


def test_editing_keeps_what_was_left_out(staff_api):
    board = BoardFactory(slug="beta-board")
    phone = DeviceFactory(codename="houji")
    program = make_program(devices=[phone])
    staff_api.patch(_program_url(program), {"board": "beta-board"}, format="json")
    response = staff_api.patch(_program_url(program), {"seats": 40}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["seats"] == 40 and body["board"] == "beta-board" and body["devices"] == ["houji"]
    assert body["name"] == program.name
    audit = AuditLog.objects.filter(action=AuditLog.Action.PROGRAM_UPDATE).latest("id")
    assert audit.before == {"seats": 10} and audit.after == {"seats": 40}
    cleared = staff_api.patch(_program_url(program), {"board": None}, format="json").json()
    assert cleared["board"] is None and Board.objects.get(pk=board.pk).program_id is None


def test_seats_never_drop_below_the_seats_taken(staff_api):
    program = make_program(seats=3)
    for _ in range(2):
        user = UserFactory()
        account_services.program_accept(user=user, code=invite(program=program, user=user).code)
    response = staff_api.patch(_program_url(program), {"seats": 1}, format="json")
    assert response.status_code == 400 and "seats" in response.json()["errors"]
    assert Program.objects.get(pk=program.pk).seats == 3


def test_an_unknown_programme_is_a_404(staff_api):
    assert staff_api.get("/api/v1/staff/programs/999999/").status_code == 404
    assert staff_api.patch("/api/v1/staff/programs/999999/", {}, format="json").status_code == 404


# Seats, candidates, inviting ---------------------------------------------------------------


def test_seats_and_rows_per_state(staff_api):
    program = make_program(seats=4)
    accepted, waiting = UserFactory(), UserFactory()
    account_services.program_accept(user=accepted, code=invite(program=program, user=accepted).code)
    invite(program=program, user=waiting)
    ProgramCandidate.objects.create(program=program, user=UserFactory(), score=1)
    body = staff_api.get(_program_url(program, "seats/")).json()
    assert (body["seats"], body["seats_taken"], body["seats_left"]) == (4, 1, 3)
    assert body["counts"]["accepted"] == 1 and body["counts"]["invited"] == 1
    assert body["counts"]["candidates"] == 1


def test_candidates_come_with_scores_reasons_and_their_invitation(staff_api):
    program = make_program(min_days_active_30d=0, min_posts_30d=0, min_reputation=1_000)
    strong = fan(username="strong", reputation=6_000)
    fan(username="weaker", reputation=1_500)
    fan(username="too-low", reputation=10)
    refreshed = staff_api.post(_program_url(program, "candidates/refresh/"))
    assert refreshed.status_code == 200 and refreshed.json() == {"qualifying": 2}
    invite(program=program, user=strong)
    rows = staff_api.get(_program_url(program, "candidates/")).json()["results"]
    assert [r["username"] for r in rows] == ["strong", "weaker"]
    assert rows[0]["score"] > rows[1]["score"]
    assert rows[0]["reasons"].startswith("days active 0/30, 0 posts, level Core")
    assert rows[0]["invitation_state"] == "invited" and rows[0]["invitable"] is False
    assert rows[1]["invitation_state"] is None and rows[1]["invitable"] is True


def test_inviting_selected_candidates_and_then_all(staff_api):
    program = make_program()
    users = [UserFactory() for _ in range(3)]
    for n, user in enumerate(users):
        ProgramCandidate.objects.create(program=program, user=user, score=n)
    chosen = staff_api.post(
        _program_url(program, "candidates/invite/"), {"user_ids": [users[0].pk]}, format="json"
    )
    assert chosen.json() == {"invited": 1}
    rest = staff_api.post(_program_url(program, "candidates/invite/"), {"all": True}, format="json")
    assert rest.json() == {"invited": 2}
    invited = staff_api.get(_program_url(program, "memberships/?state=invited")).json()
    assert {r["user_id"] for r in invited["results"]} == {u.pk for u in users}


@pytest.mark.parametrize(
    "payload", [{}, {"user_ids": []}, {"user_ids": [1], "all": True}, {"user_ids": ["x"]}]
)
def test_inviting_candidates_needs_a_choice(staff_api, payload):
    program = make_program()
    response = staff_api.post(_program_url(program, "candidates/invite/"), payload, format="json")
    assert response.status_code == 400
    assert not ProgramMembership.objects.exists()


def test_inviting_into_a_programme_that_is_not_open_is_a_409(staff_api):
    program = make_program(status=Program.Status.DRAFT)
    UserFactory(username="keen")
    ProgramCandidate.objects.create(program=program, user=UserFactory(), score=1)
    one = staff_api.post(_program_url(program, "memberships/"), {"username": "keen"})
    every = staff_api.post(
        _program_url(program, "candidates/invite/"), {"all": True}, format="json"
    )
    assert (one.status_code, every.status_code) == (409, 409)
    assert one.json()["detail"].endswith("is not open.")
    assert not ProgramMembership.objects.exists()


def test_inviting_one_member_by_username(staff_api):
    program = make_program()
    keen = UserFactory(username="keen")
    response = staff_api.post(_program_url(program, "memberships/"), {"username": "keen"})
    assert response.status_code == 201
    assert response.json()["username"] == "keen" and response.json()["state"] == "invited"
    again = staff_api.post(_program_url(program, "memberships/"), {"username": "keen"})
    assert again.status_code == 409
    assert again.json()["detail"] == f"keen already has a pending invitation to “{program.name}”."
    unknown = staff_api.post(_program_url(program, "memberships/"), {"username": "ghost"})
    assert unknown.status_code == 400
    assert unknown.json()["errors"]["username"] == ["There is no member with this username."]
    assert ProgramMembership.objects.filter(program=program, user=keen).count() == 1


def test_a_member_cooling_off_is_not_invited_again(staff_api):
    program = make_program()
    member = UserFactory(username="left")
    account_services.program_accept(user=member, code=invite(program=program, user=member).code)
    account_services.program_leave(user=member, program=program)
    response = staff_api.post(_program_url(program, "memberships/"), {"username": "left"})
    assert response.status_code == 409 and "cannot be invited again" in response.json()["detail"]


def test_removing_a_member(staff_api):
    program = make_program()
    member = UserFactory()
    membership = invite(program=program, user=member)
    account_services.program_accept(user=member, code=membership.code)
    url = _program_url(program, f"memberships/{membership.pk}/remove/")
    response = staff_api.post(url, {"reason": "Leaked screenshots"})
    assert response.status_code == 200
    assert response.json()["state"] == "removed" and response.json()["end_reason"] == (
        "Leaked screenshots"
    )
    assert Program.objects.get(pk=program.pk).seats_taken == 0
    again = staff_api.post(url, {"reason": "Twice"})
    assert again.status_code == 409
    removed = staff_api.get(_program_url(program, "memberships/?state=removed")).json()
    assert [r["id"] for r in removed["results"]] == [membership.pk]


def test_removing_needs_a_reason_and_the_right_programme(staff_api):
    program, other = make_program(), make_program()
    member = UserFactory()
    membership = invite(program=program, user=member)
    assert (
        staff_api.post(
            _program_url(program, f"memberships/{membership.pk}/remove/"), {}
        ).status_code
        == 400
    )
    wrong = staff_api.post(
        _program_url(other, f"memberships/{membership.pk}/remove/"), {"reason": "x"}
    )
    assert wrong.status_code == 404
    assert ProgramMembership.objects.get(pk=membership.pk).state == MembershipState.INVITED


def test_a_bad_state_is_a_400(staff_api):
    program = make_program()
    assert staff_api.get(_program_url(program, "memberships/?state=gone")).status_code == 400


# Query counts -------------------------------------------------------------------------------


def test_the_staff_lists_queries_do_not_grow(staff_api, django_assert_num_queries):
    program = make_program()

    def list_with(count):
        for n in range(count):
            make_program(devices=[DeviceFactory()])
            user = UserFactory()
            ProgramCandidate.objects.create(program=program, user=user, score=n)
            invite(program=program, user=user)
        # The programmes with their counts, their devices, their boards.
        with django_assert_num_queries(TOKEN_AUTH_QUERIES + 3):
            assert staff_api.get("/api/v1/staff/programs/?page_size=50").status_code == 200
        with django_assert_num_queries(TOKEN_AUTH_QUERIES + 2):  # the programme, the page
            response = staff_api.get(_program_url(program, "candidates/?page_size=50"))
            assert response.status_code == 200
        with django_assert_num_queries(TOKEN_AUTH_QUERIES + 2):
            url = _program_url(program, "memberships/?state=invited&page_size=50")
            assert staff_api.get(url).status_code == 200
        BoardFactory.create_batch(count)
        with django_assert_num_queries(TOKEN_AUTH_QUERIES + 1):  # sections joined
            url = "/api/v1/staff/programs/free-boards/?page_size=50"
            assert staff_api.get(url).status_code == 200

    list_with(2)
    list_with(6)


def test_an_expired_invitation_reads_as_expired_to_staff(staff_api):
    program = make_program()
    membership = invite(program=program, user=UserFactory())
    ProgramMembership.objects.filter(pk=membership.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    rows = staff_api.get(_program_url(program, "memberships/?state=expired")).json()["results"]
    assert [(r["id"], r["state"]) for r in rows] == [(membership.pk, "expired")]
