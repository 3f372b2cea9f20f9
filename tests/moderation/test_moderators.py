"""Appointing moderators: the audited services and staff's page /mod/moderators/."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from forum.models import BoardModerator, SectionModerator
from forum.permissions import can_moderate
from moderation import services
from moderation.models import AuditLog
from tests.factories import BoardFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("moderation:moderators")
APPOINT = reverse("moderation:moderator_appoint")
REMOVE = reverse("moderation:moderator_remove")
GLOBAL = reverse("moderation:global_moderator")
NOT_STAFF = ["member", "author", "mod_a", "section_mod", "global_mod"]


# The services --------------------------------------------------------------------


def test_global_moderator_grant_and_revoke_write_one_audit_row_each(world):
    newcomer = UserFactory(username="newcomer")
    assert services.global_moderator_grant(user=newcomer, actor=world.staff, ip="10.0.0.1")
    newcomer.refresh_from_db()
    assert newcomer.is_global_moderator and can_moderate(newcomer, world.board_b)
    row = AuditLog.objects.get(action=AuditLog.Action.GLOBAL_MODERATOR_GRANT)
    assert (row.actor, row.target_id, row.subject_id, row.ip) == (
        world.staff,
        newcomer.pk,
        newcomer.pk,
        "10.0.0.1",
    )
    assert (row.before, row.after) == (
        {"is_global_moderator": False},
        {"is_global_moderator": True},
    )
    assert not services.global_moderator_grant(user=newcomer, actor=world.staff)  # already
    assert services.global_moderator_revoke(user=newcomer, actor=world.staff)
    assert not services.global_moderator_revoke(user=newcomer, actor=world.staff)
    newcomer.refresh_from_db()
    assert not newcomer.is_global_moderator
    assert AuditLog.objects.filter(target_id=newcomer.pk).count() == 2
    assert str(AuditLog.Action.GLOBAL_MODERATOR_REVOKE.label) == "Removed a global moderator"


@pytest.mark.parametrize("role", NOT_STAFF)
def test_only_staff_grant_or_revoke_global_rights(world, role):
    actor = world.role(role)
    with pytest.raises(PermissionDenied):
        services.global_moderator_grant(user=world.member, actor=actor)
    with pytest.raises(PermissionDenied):
        services.global_moderator_revoke(user=world.global_mod, actor=actor)
    world.global_mod.refresh_from_db()
    assert world.global_mod.is_global_moderator
    assert not AuditLog.objects.filter(action__startswith="global_moderator").exists()


def test_staff_are_not_made_global_moderators(world):
    with pytest.raises(ValidationError):
        services.global_moderator_grant(user=world.staff, actor=world.staff)


# The page ------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for response in (client.get(PAGE), client.post(APPOINT, {"username": "member"})):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", NOT_STAFF)
def test_the_page_and_its_actions_are_403_for_everyone_but_staff(client, world, role):
    client.force_login(world.role(role))
    before = AuditLog.objects.count()
    assert client.get(PAGE).status_code == 403
    data = {"username": "member", "board": world.board_b.pk}
    assert client.post(APPOINT, data).status_code == 403
    assert client.post(REMOVE, {"username": "mod_b", "board": world.board_b.pk}).status_code == 403
    assert client.post(GLOBAL, {"username": "member", "change": "grant"}).status_code == 403
    assert AuditLog.objects.count() == before
    assert not BoardModerator.objects.filter(user=world.member).exists()


def test_staff_see_every_kind_of_moderator(client, world):
    client.force_login(world.staff)
    html = client.get(PAGE).content.decode()
    for name in ("mod_a", "mod_b", "section_mod", "global_mod"):
        assert f">{name}</a>" in html
    assert world.board_b.name in html


def test_staff_appoint_by_username_and_remove_with_one_audit_row_each(client, world):
    client.force_login(world.staff)
    before = AuditLog.objects.count()
    response = client.post(APPOINT, {"username": "member", "board": world.board_b.pk})
    assert response.status_code == 302 and response["Location"] == PAGE
    assert BoardModerator.objects.filter(user=world.member, board=world.board_b).exists()
    assert AuditLog.objects.count() == before + 1
    assert AuditLog.objects.first().action == AuditLog.Action.MODERATOR_ADD

    section = world.board_a.section
    client.post(APPOINT, {"username": "author", "section": section.pk})
    assert SectionModerator.objects.filter(user=world.author, section=section).exists()
    assert AuditLog.objects.count() == before + 2

    client.post(REMOVE, {"username": "member", "board": world.board_b.pk})
    assert not BoardModerator.objects.filter(user=world.member).exists()
    client.post(REMOVE, {"username": "author", "section": section.pk})
    assert not SectionModerator.objects.filter(user=world.author).exists()
    assert AuditLog.objects.count() == before + 4
    assert AuditLog.objects.first().action == AuditLog.Action.MODERATOR_REMOVE


def test_staff_grant_and_revoke_global_rights_on_the_page(client, world):
    client.force_login(world.staff)
    before = AuditLog.objects.count()
    client.post(GLOBAL, {"username": "member", "change": "grant"})
    world.member.refresh_from_db()
    assert world.member.is_global_moderator
    client.post(GLOBAL, {"username": "member", "change": "revoke"})
    world.member.refresh_from_db()
    assert not world.member.is_global_moderator
    assert list(AuditLog.objects.values_list("action", flat=True)[:2]) == [
        AuditLog.Action.GLOBAL_MODERATOR_REVOKE,
        AuditLog.Action.GLOBAL_MODERATOR_GRANT,
    ]
    assert AuditLog.objects.count() == before + 2


@pytest.mark.parametrize(
    "data",
    [
        {"username": "nobody-by-that-name", "board": "board_b"},
        {"username": "member"},  # neither a board nor a section
        {"username": "member", "board": "board_b", "section": "section"},  # both
    ],
)
def test_bad_appointments_are_refused_and_write_nothing(client, world, data):
    data = dict(data)
    if data.get("board"):
        data["board"] = world.board_b.pk
    if data.get("section"):
        data["section"] = world.board_a.section_id
    client.force_login(world.staff)
    before = AuditLog.objects.count()
    response = client.post(APPOINT, data, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert AuditLog.objects.count() == before


def test_appointing_twice_changes_nothing_the_second_time(client, world):
    client.force_login(world.staff)
    before = AuditLog.objects.count()
    client.post(APPOINT, {"username": "mod_b", "board": world.board_b.pk})
    assert BoardModerator.objects.filter(user=world.mod_b).count() == 1
    assert AuditLog.objects.count() == before


# Session, staff user, three roster queries (board, section and global moderators),
# and the boards and sections offered in the appointment form.
MODERATORS_PAGE = 7


def test_the_page_costs_the_same_whatever_the_number_of_moderators(
    client, world, django_assert_num_queries
):
    client.force_login(world.staff)
    with django_assert_num_queries(MODERATORS_PAGE):
        assert client.get(PAGE).status_code == 200
    for _ in range(6):
        board = BoardFactory(section=world.board_b.section)
        services.moderator_add(user=UserFactory(), board=board, actor=world.staff)
        services.global_moderator_grant(user=UserFactory(), actor=world.staff)
    with django_assert_num_queries(MODERATORS_PAGE):
        assert client.get(PAGE).status_code == 200
