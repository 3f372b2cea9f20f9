"""Odd input gets a 4xx or the default page, never a 500: one safe `next`, ids in the
database's range in every route and form, and NUL bytes refused at the door."""

import pytest
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from accounts.models import Program
from config.http import safe_next
from config.ids import MAX_ID, IdListField
from forum.models import Thread
from moderation import services as moderation_services
from moderation.forms.actions import MergeForm
from tests.factories import DeviceFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db

BIG = str(2**63)
HOSTILE_NEXT = ["abc", "0", "//evil.example/", "/\\evil.example", "https://evil.example/", ""]


# One safe `next` ------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE_NEXT)
def test_safe_next_takes_only_paths_on_this_site(value):
    request = RequestFactory().post("/", {"next": value})
    assert safe_next(request, "/fallback/") == "/fallback/"


def test_safe_next_keeps_a_path_with_its_query():
    request = RequestFactory().post("/", {"next": "/b/phones/?page=2"})
    assert safe_next(request, "/fallback/") == "/b/phones/?page=2"


@pytest.fixture
def thread(board, staff):
    thread = make_thread(board=board)
    make_reply(thread=thread)
    return thread


def _posts(thread, staff, member):
    """(who, url, data, where they should land) for every POST view that reads `next`."""
    reply = thread.posts.get(floor=2)
    return [
        (member, reverse("forum:thread_watch", args=[thread.pk]), {}, thread.get_absolute_url()),
        (member, reverse("forum:board_watch", args=[thread.board.slug]), {}, None),
        (member, reverse("accounts:check_in"), {}, "/"),
        (member, reverse("accounts:set_language"), {"language": "en"}, "/"),
        (
            staff,
            reverse("moderation:thread_action", args=[thread.pk, "lock"]),
            {},
            thread.get_absolute_url(),
        ),
        (
            staff,
            reverse("moderation:post_action", args=[reply.pk, "helpful"]),
            {},
            reply.get_absolute_url(),
        ),
        (
            staff,
            reverse("moderation:bulk", args=[thread.board.slug]),
            {"action": "lock", "threads": [thread.pk]},
            thread.board.get_absolute_url(),
        ),
    ]


@pytest.mark.parametrize("bad", ["abc", "0", "//evil.example/"])
def test_every_post_view_sends_a_bare_or_outside_next_to_its_default_page(
    client, thread, staff, member, bad
):
    for who, url, data, default in _posts(thread, staff, member):
        client.force_login(who)
        response = client.post(url, {**data, "next": bad})
        assert response.status_code == 302, url
        assert response["Location"] == (default or thread.board.get_absolute_url()), url


@pytest.mark.parametrize("bad", ["abc", "0", "//evil.example/"])
def test_sign_in_follows_only_a_same_site_next(client, member, bad):
    response = client.post(
        reverse("account_login"),
        {"login": member.username, "password": "correct-horse-battery", "next": bad},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("forum:index")


def test_sign_in_still_follows_a_path_on_the_site(client, member):
    response = client.post(
        reverse("account_login"),
        {"login": member.username, "password": "correct-horse-battery", "next": "/members/"},
    )
    assert response["Location"] == "/members/"


# Ids in range ---------------------------------------------------------------------


@pytest.mark.parametrize("pk", ["0", str(MAX_ID + 1), "9" * 40, "00"])
def test_an_id_out_of_range_in_the_address_is_a_404(client, member, pk):
    client.force_login(member)
    for path in (f"/t/{pk}/", f"/p/{pk}/", f"/t/{pk}/reply/", f"/notifications/{pk}/"):
        assert client.get(path).status_code == 404, path


def test_routes_build_no_address_for_an_id_out_of_range(thread):
    assert reverse("forum:thread_short", args=[MAX_ID]) == f"/t/{MAX_ID}/"
    for bad in (0, MAX_ID + 1, -3):
        with pytest.raises(NoReverseMatch):
            reverse("forum:thread_short", args=[bad])


@pytest.mark.parametrize(
    ("value", "expected"),
    [(["3", "1", "3"], [1, 3]), ("7", [7]), ([], []), ([str(MAX_ID)], [MAX_ID])],
)
def test_id_lists_take_ids(value, expected):
    assert IdListField(required=False).clean(value) == expected


@pytest.mark.parametrize("value", [["1", BIG], ["0"], ["-1"], ["abc"], ["1.5"], ["٣"]])
def test_id_lists_refuse_what_names_no_row(value):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        IdListField().clean(value)


def test_a_merge_target_out_of_range_is_a_field_error():
    form = MergeForm({"target": BIG})
    assert not form.is_valid() and "target" in form.errors


def test_profile_devices_out_of_range_are_a_field_error(client, member):
    device = DeviceFactory()
    client.force_login(member)
    response = client.post(reverse("accounts:profile_edit"), {"devices": [str(device.pk), BIG]})
    assert response.status_code == 200
    assert "devices" in response.context["form"].errors
    assert not member.devices.exists()


def test_a_thread_split_with_an_id_out_of_range_is_refused(client, thread, staff):
    client.force_login(staff)
    url = reverse("moderation:thread_action", args=[thread.pk, "split"])
    response = client.post(url, {"title": "Split off", "posts": [BIG]})
    assert response.status_code == 302
    assert Thread.objects.count() == 1


def test_programme_forms_refuse_ids_out_of_range(client, staff, member):
    program = moderation_services.program_create(
        actor=staff, name="Beta", slug="beta", seats=3, status=Program.Status.OPEN
    )
    client.force_login(staff)
    edit = client.post(
        reverse("moderation:program_edit", args=[program.pk]),
        {"name": "Beta", "slug": "beta", "seats": "3", "status": "open", "devices": [BIG]},
    )
    assert edit.status_code == 400 and "devices" in edit.context["form"].errors
    invite = client.post(
        reverse("moderation:program_invite_selected", args=[program.pk]), {"users": [BIG]}
    )
    assert invite.status_code in {302, 400}
    assert not program.memberships.exists()


# NUL bytes ------------------------------------------------------------------------


def test_a_nul_byte_in_the_query_string_is_a_400(client):
    assert client.get(reverse("forum:search"), {"q": "a\x00b"}).status_code == 400
    assert client.get(reverse("accounts:members"), {"q\x00": "1"}).status_code == 400


def test_a_nul_byte_in_the_path_is_a_404(client):
    assert client.get("/u/a%00b/").status_code == 404
    assert client.get("/u/a%00b/reputation/").status_code == 404


def test_a_nul_byte_in_a_form_is_a_400_and_writes_nothing(client, member, thread):
    client.force_login(member)
    before = thread.posts.count()
    response = client.post(reverse("forum:reply", args=[thread.pk]), {"body": "hello\x00there"})
    assert response.status_code == 400
    assert thread.posts.count() == before


def test_a_nul_byte_in_a_multipart_form_is_a_400(client, member):
    client.force_login(member)
    response = client.post(reverse("accounts:profile_edit"), {"signature": "a\x00"})
    assert response.status_code == 400
