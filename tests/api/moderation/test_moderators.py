"""Moderator appointments over the API: staff only, by username and slug, each change
audited as on the page, lists in cursor pages at a fixed query count."""

import pytest
from django.urls import reverse

from forum.models import BoardModerator, SectionModerator
from forum.permissions import can_moderate
from moderation.models import AuditLog
from tests.api.conftest import token_client
from tests.api.moderation.conftest import ROLES, as_role, everything
from tests.factories import BoardFactory, UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/moderation/moderators"


def test_staff_list_who_moderates_what(world):
    api = token_client(world.staff)
    boards = api.get(f"{API}/boards/").json()["results"]
    assert {(r["user"]["username"], r["board"]["slug"]) for r in boards} == {
        ("mod_a", world.board_a.slug),
        ("mod_a", world.board_a2.slug),
        ("mod_b", world.board_b.slug),
    }
    assert boards[0]["section"]["id"] == world.board_a.section_id
    sections = api.get(f"{API}/sections/").json()["results"]
    assert [(r["user"]["username"], r["section"]["id"]) for r in sections] == [
        ("section_mod", world.board_a.section_id)
    ]
    globals_ = api.get(f"{API}/global/").json()["results"]
    assert globals_ == [{"id": world.global_mod.pk, "username": "global_mod"}]


WRITES = [
    ("appoint/", {"username": "member", "board": "B"}),
    ("remove/", {"username": "mod_a", "board": "A"}),
    ("appoint/", {"username": "member", "section": "S"}),
    ("global/", {"username": "member", "change": "grant"}),
    ("global/", {"username": "global_mod", "change": "revoke"}),
]


def _body(world, body):
    named = {"A": world.board_a.slug, "B": world.board_b.slug, "S": world.board_a.section.slug}
    return {k: named.get(v, v) for k, v in body.items()}


@pytest.mark.parametrize(("path", "body"), WRITES)
@pytest.mark.parametrize("role", ROLES)
def test_only_staff_appoint(world, role, path, body):
    api = as_role(world, role)
    before = everything()
    rows = AuditLog.objects.count()
    response = api.post(f"{API}/{path}", _body(world, body), format="json")
    if role == "staff":
        assert response.status_code == 200, response.content
        assert response.json()["changed"] is True
        assert AuditLog.objects.count() == rows + 1
        row = AuditLog.objects.order_by("-pk").first()
        assert (row.actor, row.target_label) == (world.staff, body["username"])
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)
        if role != "anonymous":
            assert response.json()["detail"] == "Only staff appoint moderators."
        assert everything() == before
    for part in ("boards/", "sections/", "global/"):
        listed = api.get(f"{API}/{part}")
        assert listed.status_code == (
            200 if role == "staff" else 401 if role == "anonymous" else 403
        )


def test_appointing_gives_reach_and_says_what_was_done(world):
    api = token_client(world.staff)
    done = api.post(
        f"{API}/appoint/", {"username": "member", "board": world.board_b.slug}, format="json"
    )
    assert done.json() == {"changed": True, "detail": f"member now moderates {world.board_b.name}."}
    assert can_moderate(type(world.member).objects.get(pk=world.member.pk), world.board_b)
    again = api.post(
        f"{API}/appoint/", {"username": "member", "board": world.board_b.slug}, format="json"
    )
    assert again.json() == {
        "changed": False,
        "detail": f"member already moderates {world.board_b.name}.",
    }
    assert BoardModerator.objects.filter(user=world.member, board=world.board_b).count() == 1
    removed = api.post(
        f"{API}/remove/", {"username": "member", "board": world.board_b.slug}, format="json"
    )
    assert removed.json()["changed"] is True
    assert not BoardModerator.objects.filter(user=world.member).exists()


def test_an_appointment_writes_the_row_the_page_writes(client, world):
    first, second = UserFactory(username="first"), UserFactory(username="second")
    client.force_login(world.staff)
    page = client.post(
        reverse("moderation:moderator_appoint"), {"username": "first", "board": world.board_b.pk}
    )
    assert page.status_code == 302
    token_client(world.staff).post(
        f"{API}/appoint/", {"username": "second", "board": world.board_b.slug}, format="json"
    )

    def row(user):
        r = AuditLog.objects.get(action="moderator_add", target_id=user.pk)
        return (r.actor_id, r.target_type, r.board_id, r.before, r.after, r.ip)

    assert row(first) == row(second)
    client.post(reverse("moderation:global_moderator"), {"username": "first", "change": "grant"})
    token_client(world.staff).post(
        f"{API}/global/", {"username": "second", "change": "grant"}, format="json"
    )

    def grant(user):
        r = AuditLog.objects.get(action="global_moderator_grant", target_id=user.pk)
        return (r.actor_id, r.target_type, r.board_id, r.before, r.after, r.ip)

    assert grant(first) == grant(second)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("appoint/", {"username": "nobody", "board": "A"}, "username"),
        ("appoint/", {"username": "member"}, "non_field_errors"),
        ("appoint/", {"username": "member", "board": "A", "section": "S"}, "non_field_errors"),
        ("appoint/", {"username": "member", "board": "no-such-board"}, "board"),
        ("remove/", {"username": "member", "section": "9"}, "section"),
        ("global/", {"username": "member", "change": "promote"}, "change"),
        ("global/", {"username": "nobody", "change": "grant"}, "username"),
        ("global/", {"username": "boss", "change": "grant"}, "non_field_errors"),
        ("appoint/", ["member"], "non_field_errors"),
    ],
)
def test_bad_appointments_are_a_400(world, path, body, field):
    before = everything()
    data = _body(world, body) if isinstance(body, dict) else body
    response = token_client(world.staff).post(f"{API}/{path}", data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert everything() == before


def test_section_roles_and_global_rights(world):
    api = token_client(world.staff)
    api.post(
        f"{API}/appoint/",
        {"username": "member", "section": world.board_b.section.slug},
        format="json",
    )
    assert SectionModerator.objects.filter(user=world.member).exists()
    later = BoardFactory(section=world.board_b.section)
    assert can_moderate(type(world.member).objects.get(pk=world.member.pk), later)
    revoked = api.post(
        f"{API}/global/", {"username": "global_mod", "change": "revoke"}, format="json"
    )
    assert revoked.json() == {
        "changed": True,
        "detail": "global_mod is no longer a global moderator.",
    }
    assert api.get(f"{API}/global/").json()["results"] == []


# signed in (3) + the page of roles with user, board and section (1)
@pytest.mark.parametrize("count", [2, 10])
def test_moderator_lists_cost_the_same_for_2_or_10_rows(world, django_assert_num_queries, count):
    for _ in range(count):
        user, board = UserFactory(), BoardFactory(section=world.board_a.section)
        BoardModerator.objects.create(user=user, board=board)
        SectionModerator.objects.create(user=user, section=board.section)
        type(user).objects.filter(pk=user.pk).update(is_global_moderator=True)
    api = token_client(world.staff)
    for part in ("boards", "sections", "global"):
        with django_assert_num_queries(4):
            page = api.get(f"{API}/{part}/", {"page_size": 5}).json()
        seen = [row["id"] for row in page["results"]]
        while page["next"]:
            with django_assert_num_queries(4):
                page = api.get(page["next"]).json()
            seen += [row["id"] for row in page["results"]]
        assert len(seen) == len(set(seen)) >= count
