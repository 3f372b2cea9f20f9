"""members over the API: profiles, my profile and settings, avatars, the member list."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.levels import threshold_of
from accounts.models import Delivery, User
from forum.models import Board
from tests.api.conftest import token_client
from tests.api.roles import ROLES, SIGNED_IN, make_caller
from tests.factories import BoardFactory, DeviceFactory, StaffFactory, UserFactory, make_thread

pytestmark = pytest.mark.django_db


def _png(size=(40, 30), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


# The member list ------------------------------------------------------------------------


def test_the_member_list_pages_by_keyset_on_its_sort(api):
    for n, rep in enumerate([500, 90, 90, 10, 0]):
        UserFactory(username=f"m{n}", reputation=rep)
    first = api.get("/api/v1/members/?sort=reputation&page_size=2").json()
    assert [m["username"] for m in first["results"]] == ["m0", "m2"]
    assert first["previous"] is None and "cursor=" in first["next"]
    UserFactory(username="late", reputation=1_000)  # joins above: the next page is unmoved
    second = api.get(first["next"]).json()
    assert [m["username"] for m in second["results"]] == ["m1", "m3"]
    third = api.get(second["next"]).json()
    assert [m["username"] for m in third["results"]] == ["m4"] and third["next"] is None


def test_the_member_list_shows_level_devices_and_counts(api):
    phone = DeviceFactory(codename="houji", model="14")
    fan = UserFactory(username="fan", display_name="小米粉", reputation=threshold_of("senior"))
    fan.devices.add(phone)
    row = api.get("/api/v1/members/").json()["results"][0]
    assert row["username"] == "fan" and row["name"] == "小米粉"
    assert row["level"]["key"] == "senior" and row["reputation"] == 1_000
    assert row["devices"] == [{"codename": "houji", "brand": "Xiaomi", "model": "14"}]
    assert row["avatar"] is None


def test_the_member_list_filters_by_level_and_name_and_sorts_by_posts_and_joined(api):
    UserFactory(username="alpha", reputation=5, post_count=3)
    UserFactory(username="albert", reputation=300, post_count=1)
    UserFactory(username="bob", reputation=400, post_count=9)
    names = lambda url: [m["username"] for m in api.get(url).json()["results"]]  # noqa: E731
    assert names("/api/v1/members/?level=active") == ["bob", "albert"]
    assert names("/api/v1/members/?q=al") == ["albert", "alpha"]
    assert names("/api/v1/members/?sort=posts") == ["bob", "alpha", "albert"]
    assert names("/api/v1/members/?sort=joined") == ["bob", "albert", "alpha"]


@pytest.mark.parametrize(
    "query",
    ["sort=name", "level=wizard", "cursor=bm90LWEtY3Vyc29y", "cursor=%%%", "q=" + "x" * 151],
)
def test_bad_member_list_input_is_a_400(api, query):
    UserFactory()
    response = api.get(f"/api/v1/members/?{query}")
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}


def test_a_cursor_of_another_sort_is_a_400(api):
    for n in range(3):
        UserFactory(reputation=n)
    cursor = api.get("/api/v1/members/?sort=joined&page_size=1").json()["next"]
    token = re.search(r"cursor=([^&]+)", cursor).group(1)
    assert api.get(f"/api/v1/members/?sort=posts&cursor={token}").status_code == 400


def test_the_member_list_queries_do_not_grow(api, django_assert_num_queries):
    def list_with(count):
        for _ in range(count):
            UserFactory().devices.add(DeviceFactory())
        with django_assert_num_queries(2):  # the page of members, their devices
            response = api.get("/api/v1/members/?page_size=50")
        assert response.status_code == 200

    list_with(2)
    list_with(8)


# A profile --------------------------------------------------------------------------------


def test_a_profile_shows_what_the_page_shows(api):
    phone = DeviceFactory(codename="shennong")
    fan = UserFactory(
        username="fan", signature="Flashing since MIUI 9", reputation=60, post_count=7
    )
    fan.devices.add(phone)
    body = api.get("/api/v1/members/fan/").json()
    assert body["level"]["key"] == "member" and body["next_level"]["key"] == "active"
    assert body["points_to_next"] == 140 and 0 <= body["level_progress"] <= 100
    assert body["signature"] == "Flashing since MIUI 9" and body["post_count"] == 7
    assert [d["codename"] for d in body["devices"]] == ["shennong"]
    assert body["check_in_streak"] == 0 and body["is_suspended"] is False
    assert body["can_see_ledger"] is False
    assert "email" not in body and "language" not in body


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [("anonymous", False), ("other", False), ("owner", True), ("staff", True), ("global", True)],
)
def test_a_profile_says_whether_the_caller_may_read_the_ledger(api, viewer, sees):
    owner = UserFactory()
    clients = {
        "anonymous": lambda: api,
        "other": lambda: token_client(UserFactory()),
        "owner": lambda: token_client(owner),
        "staff": lambda: token_client(StaffFactory()),
        "global": lambda: token_client(UserFactory(is_global_moderator=True)),
    }
    body = clients[viewer]().get(f"/api/v1/members/{owner.username}/").json()
    assert body["can_see_ledger"] is sees


def test_an_unknown_member_is_a_404(api):
    assert api.get("/api/v1/members/nobody/").status_code == 404


def test_a_profile_costs_two_queries(api, django_assert_num_queries):
    fan = UserFactory()
    fan.devices.add(DeviceFactory(), DeviceFactory())
    with django_assert_num_queries(2):
        assert api.get(f"/api/v1/members/{fan.username}/").status_code == 200


def test_a_members_threads_are_those_the_caller_may_read(api, member):
    author = UserFactory(username="author")
    public = make_thread(author=author, title="Public one")
    members_only = make_thread(
        author=author,
        board=BoardFactory(visibility=Board.Visibility.MEMBERS),
        title="Members only",
    )
    hidden = make_thread(author=author, title="Hidden one")
    hidden.is_hidden = True
    hidden.save()
    seen = [t["title"] for t in api.get("/api/v1/members/author/threads/").json()["results"]]
    assert seen == [public.title]
    signed_in = token_client(member).get("/api/v1/members/author/threads/").json()["results"]
    assert [t["title"] for t in signed_in] == [members_only.title, public.title]
    assert api.get("/api/v1/members/nobody/threads/").status_code == 404


def test_a_members_threads_queries_do_not_grow(api, django_assert_num_queries):
    author = UserFactory(username="prolific")
    board = BoardFactory()

    def list_with(count):
        for n in range(count):
            make_thread(author=author, board=board, title=f"Thread {n}")
        with django_assert_num_queries(2):  # the member, the page of threads
            response = api.get("/api/v1/members/prolific/threads/?page_size=50")
        assert response.status_code == 200

    list_with(2)
    list_with(6)


# My profile -------------------------------------------------------------------------------


def test_me_is_for_signed_in_members(api):
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "X-Session-Token"


def test_me_has_my_settings_and_the_unread_count(member, member_api):
    User.objects.filter(pk=member.pk).update(unread_notifications=3, language="en")
    body = member_api.get("/api/v1/me/").json()
    assert body["username"] == member.username and body["email"] == member.email
    assert body["unread_notifications"] == 3 and body["language"] == "en"
    assert body["auto_watch"] is True and body["checked_in_today"] is False
    assert body["sanction"] is None and body["can_see_ledger"] is True


def test_me_tells_a_suspended_member_why(suspended):
    body = token_client(suspended).get("/api/v1/me/").json()
    assert body["sanction"]["kind"] == "suspension"
    assert body["sanction"]["reason"] == "Spam" and body["sanction"]["permanent"] is False


def test_changing_my_profile_keeps_what_i_left_out(member, member_api):
    phone, pad = DeviceFactory(codename="houji"), DeviceFactory(codename="pipa")
    member.signature = "Old signature"
    member.save()
    response = member_api.patch(
        "/api/v1/me/",
        {"display_name": "  Mi Fan ", "devices": ["houji", "pipa"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["display_name"] == "Mi Fan"
    member.refresh_from_db()
    assert member.display_name == "Mi Fan" and member.signature == "Old signature"
    assert set(member.devices.all()) == {phone, pad}
    member_api.patch("/api/v1/me/", {"signature": "New"}, format="json")
    assert set(member.devices.all()) == {phone, pad}
    member_api.patch("/api/v1/me/", {"devices": []}, format="json")
    assert not member.devices.exists()


def test_choosing_a_language_answers_in_it(member, member_api):
    response = member_api.patch("/api/v1/me/", {"language": "zh-hans"}, format="json")
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.language == "zh-hans"
    assert re.search(r"[\u4e00-\u9fff]", response.json()["level"]["name"])


@pytest.mark.parametrize(
    "payload",
    [
        {"display_name": "x" * 61},
        {"signature": "x" * 501},
        {"devices": ["no-such-phone"]},
        {"devices": "houji"},
        {"language": "klingon"},
    ],
)
def test_bad_profile_input_is_a_400_and_changes_nothing(member, member_api, payload):
    phone = DeviceFactory(codename="houji")
    member.devices.add(phone)
    response = member_api.patch("/api/v1/me/", payload, format="json")
    assert response.status_code == 400
    field = next(iter(payload))
    assert field in response.json()["errors"]
    member.refresh_from_db()
    assert member.display_name == "" and member.language == ""
    assert list(member.devices.all()) == [phone]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_change_a_profile(role):
    _user, client = make_caller(role)
    response = client.patch("/api/v1/me/", {"display_name": "Renamed"}, format="json")
    if role == "anonymous":
        assert response.status_code == 401
        assert not User.objects.filter(display_name="Renamed").exists()
        return
    assert response.status_code == 200
    assert client.get("/api/v1/me/").json()["display_name"] == "Renamed"
    assert User.objects.filter(display_name="Renamed").count() == 1


# My avatar ------------------------------------------------------------------------------


def test_an_avatar_is_checked_and_re_encoded_as_on_the_page(member, member_api):
    upload = SimpleUploadedFile("me.png", _png((600, 400)), content_type="image/png")
    response = member_api.post("/api/v1/me/avatar/", {"avatar": upload}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["avatar"].startswith("http://testserver/media/avatars/")
    member.refresh_from_db()
    with Image.open(member.avatar) as image:
        assert max(image.size) == 256


@pytest.mark.parametrize(
    ("name", "content"),
    [("me.png", b"not an image at all"), ("me.bmp", None)],
)
def test_a_bad_avatar_is_a_400_on_the_field(member, member_api, name, content):
    if content is None:
        content = _png(fmt="BMP")
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    response = member_api.post("/api/v1/me/avatar/", {"avatar": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"]["avatar"] == ["Upload a PNG, JPEG, WebP or GIF image."]
    member.refresh_from_db()
    assert not member.avatar


def test_an_avatar_over_the_size_limit_is_a_400(member, member_api, settings):
    settings.POPCORN = {**settings.POPCORN, "AVATAR_MAX_BYTES": 100}
    upload = SimpleUploadedFile("me.png", _png(), content_type="image/png")
    response = member_api.post("/api/v1/me/avatar/", {"avatar": upload}, format="multipart")
    assert response.status_code == 400 and "avatar" in response.json()["errors"]


def test_removing_my_avatar(member, member_api):
    upload = SimpleUploadedFile("me.png", _png(), content_type="image/png")
    member_api.post("/api/v1/me/avatar/", {"avatar": upload}, format="multipart")
    response = member_api.delete("/api/v1/me/avatar/")
    assert response.status_code == 200 and response.json()["avatar"] is None
    member.refresh_from_db()
    assert not member.avatar


@pytest.mark.parametrize("role", ROLES)
def test_who_may_upload_an_avatar(role):
    user, client = make_caller(role)
    upload = SimpleUploadedFile("me.png", _png(), content_type="image/png")
    response = client.post("/api/v1/me/avatar/", {"avatar": upload}, format="multipart")
    if role == "anonymous":
        assert response.status_code == 401
        assert not User.objects.exclude(avatar="").exists()
    else:
        assert response.status_code == 200
        user.refresh_from_db()
        assert user.avatar


# My notification settings ------------------------------------------------------------------


def test_notification_settings_start_at_the_defaults(member_api):
    body = member_api.get("/api/v1/me/notification-settings/").json()
    assert body["mention"] == Delivery.EMAIL and body["like"] == Delivery.IN_APP
    assert body["auto_watch"] is True


def test_changing_notification_settings_keeps_the_rest(member, member_api):
    response = member_api.patch(
        "/api/v1/me/notification-settings/",
        {"like": "off", "auto_watch": False},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["like"] == "off" and response.json()["mention"] == "email"
    member.refresh_from_db()
    assert member.notification_settings == {"like": "off"} and member.auto_watch is False


def test_a_bad_delivery_is_a_400_and_changes_nothing(member, member_api):
    response = member_api.patch(
        "/api/v1/me/notification-settings/", {"like": "pigeon", "quote": "off"}, format="json"
    )
    assert response.status_code == 400 and "like" in response.json()["errors"]
    member.refresh_from_db()
    assert member.notification_settings == {}


@pytest.mark.parametrize("role", SIGNED_IN)
def test_every_signed_in_role_sets_its_own_notifications(role):
    user, client = make_caller(role)
    response = client.patch("/api/v1/me/notification-settings/", {"reply": "off"}, format="json")
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.notification_settings == {"reply": "off"}


def test_anonymous_has_no_notification_settings(api):
    assert api.get("/api/v1/me/notification-settings/").status_code == 401
    assert (
        api.patch("/api/v1/me/notification-settings/", {"reply": "off"}, format="json").status_code
        == 401
    )
