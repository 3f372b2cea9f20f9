"""IP locations ("IP属地：广东"): a region code taken at write time from the address the
site trusts (config.http.client_ip), shown under posts and on profiles in the reader's
language, only when the site turns it on; never the address itself."""

import io
import json
import threading
import zipfile
from datetime import timedelta

import maxminddb
import pytest
from django.core import checks
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from netaddr import IPSet
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import MemberArchive, User
from config import regions
from forum.models import Post, Thread, ThreadType
from moderation import services as moderation_services
from tests.factories import (
    BoardFactory,
    StaffFactory,
    UserFactory,
    make_reply,
    make_thread,
    run_after_commit,
)
from tests.forum.meetups_world import city
from tests.forum.test_query_counts import (
    MEMBER_PROFILE_ANON,
    MEMBER_PROFILE_MEMBER,
    THREAD_PAGE_ANON,
    THREAD_PAGE_MEMBER,
)

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"
SHENZHEN = "113.88.1.2"  # 广东
BEIJING_V6 = "2408:8000::1"  # 北京
MOUNTAIN_VIEW = "8.8.8.8"  # the United States
HONG_KONG = "1.36.0.9"
TAIPEI = "61.216.0.9"
SHANGHAI_DBIP = "175.45.176.9"  # a DB-IP-style record: English names, no ISO code
GUANGDONG_NUMERIC = "116.6.0.9"  # an older file's numeric ISO 3166-2 code

RECORDS = {
    "113.88.0.0/16": {
        "country": {"iso_code": "CN", "names": {"en": "China", "zh-CN": "中国"}},
        "subdivisions": [{"iso_code": "GD", "names": {"en": "Guangdong", "zh-CN": "广东省"}}],
        "city": {"names": {"en": "Shenzhen"}},
    },
    "2408:8000::/20": {
        "country": {"iso_code": "CN"},
        "subdivisions": [{"iso_code": "BJ", "names": {"en": "Beijing"}}],
    },
    "8.8.8.0/24": {"country": {"iso_code": "US", "names": {"en": "United States"}}},
    "1.36.0.0/16": {"country": {"iso_code": "HK"}},
    "61.216.0.0/16": {"country": {"iso_code": "TW"}},
    "175.45.176.0/22": {
        "country": {"iso_code": "CN"},
        "subdivisions": [{"names": {"en": "Shanghai"}}],
    },
    "116.6.0.0/16": {"country": {"iso_code": "CN"}, "subdivisions": [{"iso_code": "44"}]},
}


@pytest.fixture
def region_db(tmp_path):
    """A tiny GeoLite2-City-shaped file, IPv4 and IPv6 in one, made for the test."""
    from mmdb_writer import MMDBWriter

    writer = MMDBWriter(ip_version=6, ipv4_compatible=True, database_type="GeoLite2-City")
    for network, record in RECORDS.items():
        writer.insert_network(IPSet([network]), record)
    path = tmp_path / "city.mmdb"
    writer.to_db_file(str(path))
    return path


def _turn_on(settings, path, *, proxies=1):
    settings.POPCORN = {**settings.POPCORN, "IP_REGION_ENABLED": True, "IP_REGION_DB": str(path)}
    settings.TRUSTED_PROXY_COUNT = proxies


@pytest.fixture
def ip_regions(settings, region_db):
    _turn_on(settings, region_db)
    return region_db


def _from(address: str, *, language: str = "zh-hans") -> Client:
    """A browser at `address` behind the site's one proxy, which appends it to
    X-Forwarded-For; whatever the browser wrote there itself comes first."""
    return Client(
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{MOUNTAIN_VIEW}, {address}",
        HTTP_ACCEPT_LANGUAGE=language,
    )


def _app_from(address: str, member) -> APIClient:
    """The app at `address` behind the proxy, signed in there (allauth headless)."""
    api = APIClient(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)
    response = api.post(
        "/_allauth/app/v1/auth/login",
        {"username": member.username, "password": "correct-horse-battery"},
        format="json",
    )
    assert response.status_code == 200
    api.credentials(HTTP_X_SESSION_TOKEN=response.json()["meta"]["session_token"])
    return api


def _reply_through_the_page(client, thread, member, body="同问，电池掉得快"):
    client.force_login(member)
    response = run_after_commit(
        lambda: client.post(reverse("forum:reply", args=[thread.pk]), {"body": body})
    )
    assert response.status_code == 302
    return Post.objects.get(thread=thread, source=body)


# Writing ---------------------------------------------------------------------------------


def test_a_reply_shows_the_province_of_the_address_behind_the_proxy(ip_regions):
    thread = make_thread()
    client = _from(SHENZHEN)
    post = _reply_through_the_page(client, thread, UserFactory())
    assert post.region == "CN-GD"  # not the US address the browser put in front
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "IP属地：广东" in page


def test_an_english_reader_sees_the_english_name(ip_regions):
    thread = make_thread()
    _reply_through_the_page(_from(SHENZHEN), thread, UserFactory())
    page = _from(SHENZHEN, language="en").get(thread.get_absolute_url()).content.decode()
    assert "IP location: Guangdong" in page
    assert "广东" not in page


def test_a_new_threads_opening_post_keeps_its_region(ip_regions, board):
    client = _from(SHENZHEN)
    client.force_login(UserFactory())
    response = client.post(
        reverse("forum:thread_create", args=[board.slug]),
        {"title": "14.0.3 耗电", "body": "升级后待机掉电很快", "thread_type": "discussion"},
    )
    assert response.status_code == 302
    assert Post.objects.get(thread__board=board, floor=1).region == "CN-GD"


def test_an_ipv6_address_has_its_province(ip_regions):
    thread = make_thread()
    post = _reply_through_the_page(_from(BEIJING_V6), thread, UserFactory())
    assert post.region == "CN-BJ"


@pytest.mark.parametrize("address", ["192.168.1.5", "10.0.0.7", "127.0.0.1", "::1", "fd00::5"])
def test_a_private_or_loopback_address_has_no_region(ip_regions, address):
    thread = make_thread()
    post = _reply_through_the_page(_from(address), thread, UserFactory())
    assert post.region == ""
    assert "IP属地" not in _from(address).get(thread.get_absolute_url()).content.decode()


def test_an_address_the_file_does_not_know_has_no_region(ip_regions):
    assert regions.region_of("9.9.9.9") == ""
    assert regions.region_of("not an address") == ""
    assert regions.region_of(None) == ""


def test_the_post_keeps_the_region_never_the_address(ip_regions):
    post = _reply_through_the_page(_from(SHENZHEN), make_thread(), UserFactory())
    row = Post.objects.filter(pk=post.pk).values().get()
    assert not any(SHENZHEN in str(value) for value in row.values())
    assert {f.get_internal_type() for f in Post._meta.fields}.isdisjoint({"GenericIPAddressField"})


def test_an_edit_keeps_the_region_the_post_was_written_from(ip_regions):
    """The region is the posting's: an edit from elsewhere does not move it."""
    member = UserFactory()
    post = _reply_through_the_page(_from(SHENZHEN), make_thread(), member)
    client = _from(BEIJING_V6)
    client.force_login(member)
    response = client.post(reverse("forum:post_edit", args=[post.pk]), {"body": "补充：已解决"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.source, post.region) == ("补充：已解决", "CN-GD")


def test_a_new_thread_with_a_poll_keeps_its_region(ip_regions, board):
    client = _from(SHENZHEN)
    client.force_login(UserFactory())
    response = client.post(
        reverse("forum:thread_create", args=[board.slug]),
        {
            "title": "下一台买哪个",
            "body": "投个票",
            "thread_type": "discussion",
            "poll-question": "哪台？",
            "poll-options": "Mix\nFold",
            "poll-max_choices": 1,
            "poll-results": "on_vote",
        },
    )
    assert response.status_code == 302
    thread = Thread.objects.get(title="下一台买哪个")
    assert thread.has_poll
    assert thread.posts.get(floor=1).region == "CN-GD"


def test_a_meetup_started_through_the_api_keeps_its_region(ip_regions):
    board = BoardFactory(default_thread_type=ThreadType.EVENT)
    api = _app_from(SHENZHEN, StaffFactory())
    start = timezone.now() + timedelta(days=5)
    response = api.post(
        f"/api/v1/boards/{board.slug}/meetups/",
        {
            "title": "深圳 爆米花",
            "body": "带上手机",
            "city_id": city("shenzhen").pk,
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=3)).isoformat(),
            "place": "南山区",
            "capacity": 20,
            "signup_deadline": (start - timedelta(hours=3)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Post.objects.get(thread__board=board, floor=1).region == "CN-GD"


def test_a_held_reply_keeps_its_region_once_approved(ip_regions, settings):
    thread = make_thread()
    settings.POPCORN = {**settings.POPCORN, "APPROVAL_BELOW_LEVEL": "member"}
    post = _reply_through_the_page(_from(SHENZHEN), thread, UserFactory(reputation=0))
    assert post.is_pending and post.region == "CN-GD"
    page = _from(SHENZHEN).get(thread.get_absolute_url()).content.decode()
    assert "IP属地" not in page  # nobody else sees a held post, nor where it came from
    staff = StaffFactory()
    run_after_commit(lambda: moderation_services.pending_approve(post=post, actor=staff))
    post.refresh_from_db()
    assert not post.is_pending and post.region == "CN-GD"
    assert "IP属地：广东" in _from(SHENZHEN).get(thread.get_absolute_url()).content.decode()


def test_only_the_proxies_the_site_trusts_count(settings, region_db):
    """No proxy trusted: X-Forwarded-For is whatever the client wrote, and is ignored."""
    _turn_on(settings, region_db, proxies=0)
    thread = make_thread()
    spoofed = Client(REMOTE_ADDR="9.9.9.9", HTTP_X_FORWARDED_FOR=SHENZHEN)
    assert _reply_through_the_page(spoofed, thread, UserFactory(), body="第一").region == ""
    direct = Client(REMOTE_ADDR=SHENZHEN)
    assert _reply_through_the_page(direct, thread, UserFactory(), body="第二").region == "CN-GD"
    settings.TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    behind = Client(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=BEIJING_V6)
    assert _reply_through_the_page(behind, thread, UserFactory(), body="第三").region == "CN-BJ"


# Off (the default) -----------------------------------------------------------------------


def test_off_by_default_nothing_is_looked_up_stored_or_shown(settings, region_db, monkeypatch):
    settings.POPCORN = {**settings.POPCORN, "IP_REGION_DB": str(region_db)}
    settings.TRUSTED_PROXY_COUNT = 1
    assert settings.POPCORN["IP_REGION_ENABLED"] is False

    def refuse(*args, **kwargs):
        raise AssertionError("the database was opened while the feature is off")

    monkeypatch.setattr(maxminddb, "open_database", refuse)
    thread = make_thread()
    client = _from(SHENZHEN)
    post = _reply_through_the_page(client, thread, UserFactory())
    assert post.region == ""
    Post.objects.filter(pk=post.pk).update(region="CN-GD")  # written while it was on
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "IP属地" not in page and "广东" not in page
    assert checks.run_checks(tags=["popcorn"]) == []


def test_turned_off_again_the_api_shows_no_region(settings, member):
    thread = make_thread()
    Post.objects.filter(thread=thread).update(region="CN-GD")
    User.objects.filter(pk=member.pk).update(region="CN-GD")
    api = APIClient()
    assert api.get(f"/api/v1/threads/{thread.pk}/posts/").json()["results"][0]["region"] is None
    assert api.get(f"/api/v1/members/{member.username}/").json()["region"] is None


# A missing or broken file ----------------------------------------------------------------


@pytest.mark.parametrize("broken", ["missing", "garbage", "unset"])
def test_an_unreadable_file_warns_in_check_and_posting_goes_on(settings, tmp_path, broken):
    path = tmp_path / "city.mmdb"
    if broken == "garbage":
        path.write_bytes(b"not a MaxMind DB file" * 100)
    _turn_on(settings, "" if broken == "unset" else path)
    warnings = checks.run_checks(tags=["popcorn"])
    assert [w.id for w in warnings] == ["popcorn.W001"]
    assert warnings[0].level == checks.WARNING
    thread = make_thread()
    client = _from(SHENZHEN)
    post = _reply_through_the_page(client, thread, UserFactory())
    assert post.region == ""
    assert client.get(thread.get_absolute_url()).status_code == 200


def test_a_readable_file_passes_the_check(ip_regions):
    assert checks.run_checks(tags=["popcorn"]) == []


# Mapping ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "code", "chinese", "english"),
    [
        (SHENZHEN, "CN-GD", "广东", "Guangdong"),
        (BEIJING_V6, "CN-BJ", "北京", "Beijing"),
        (f"::ffff:{SHENZHEN}", "CN-GD", "广东", "Guangdong"),
        (MOUNTAIN_VIEW, "US", "美国", "United States of America"),
        (HONG_KONG, "HK", "中国香港", "Hong Kong, China"),
        (TAIPEI, "TW", "中国台湾", "Taiwan, China"),
        (SHANGHAI_DBIP, "CN-SH", "上海", "Shanghai"),
        (GUANGDONG_NUMERIC, "CN-GD", "广东", "Guangdong"),
    ],
)
def test_a_region_is_stored_as_a_code_and_named_in_the_readers_language(
    ip_regions, address, code, chinese, english
):
    from django.utils import translation

    assert regions.region_of(address) == code
    with translation.override("zh-hans"):
        assert regions.label(code) == chinese
    with translation.override("en"):
        assert regions.label(code) == english


def test_a_code_nobody_knows_is_shown_as_nothing(ip_regions):
    assert regions.label("CN-ZZ") == ""
    assert regions.label("ZZ") == ""
    assert regions.code_from_record({"country": {"iso_code": "ZZ"}}) == ""
    assert regions.code_from_record({"country": {"iso_code": "CN"}}) == "CN"


def test_the_file_is_opened_once_per_process_however_many_threads_ask(ip_regions, monkeypatch):
    opened = []
    real_open = maxminddb.open_database

    def counting_open(*args, **kwargs):
        opened.append(args)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(maxminddb, "open_database", counting_open)
    monkeypatch.setattr(regions, "_readers", {})
    found = []
    workers = [
        threading.Thread(target=lambda: found.append(regions.region_of(SHENZHEN))) for _ in range(8)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert found == ["CN-GD"] * 8
    assert regions.region_of(BEIJING_V6) == "CN-BJ"
    assert len(opened) == 1


# Profiles --------------------------------------------------------------------------------


def test_signing_in_records_the_members_region_and_the_profile_shows_it(ip_regions, member):
    client = _from(SHENZHEN)
    response = client.post(
        reverse("account_login"), {"login": member.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.region == "CN-GD"
    page = client.get(reverse("forum:member", kwargs={"username": member.username}))
    assert "IP属地" in page.content.decode() and "广东" in page.content.decode()


def test_signing_in_through_the_app_records_the_region_too(ip_regions, member):
    _app_from(BEIJING_V6, member)
    member.refresh_from_db()
    assert member.region == "CN-BJ"


def test_the_region_is_written_only_when_it_changes(ip_regions, member, django_assert_num_queries):
    assert account_services.member_region_record(user=member, ip=SHENZHEN) is True
    assert account_services.member_region_record(user=member, ip=SHENZHEN) is False
    with django_assert_num_queries(0):  # nothing known: nothing written
        assert account_services.member_region_record(user=member, ip="192.168.1.5") is False
    member.refresh_from_db()
    assert member.region == "CN-GD"


def test_signing_in_while_off_changes_nothing(settings, region_db, member):
    settings.POPCORN = {**settings.POPCORN, "IP_REGION_DB": str(region_db)}
    settings.TRUSTED_PROXY_COUNT = 1
    _from(SHENZHEN).post(
        reverse("account_login"), {"login": member.username, "password": "correct-horse-battery"}
    )
    member.refresh_from_db()
    assert member.region == ""


def test_an_erased_member_keeps_no_region(ip_regions, member):
    User.objects.filter(pk=member.pk).update(region="CN-GD")
    account_services.member_erase(member=member)
    member.refresh_from_db()
    assert member.region == ""


def test_the_members_data_archive_holds_their_regions(ip_regions, member):
    post = _reply_through_the_page(_from(SHENZHEN), make_thread(), member)
    User.objects.filter(pk=member.pk).update(region="CN-BJ")
    archive, _ = moderation_services.member_archive_request(actor=member, member=member)
    assert moderation_services.member_archive_build(archive.pk) is True
    archive = MemberArchive.objects.get(pk=archive.pk)
    with archive.file.open("rb") as stored:
        zipped = zipfile.ZipFile(io.BytesIO(stored.read()))
    assert json.loads(zipped.read("profile.json"))["region"] == "CN-BJ"
    posts = json.loads(zipped.read("posts.json"))
    assert [(p["pk"], p["region"]) for p in posts] == [(post.pk, "CN-GD")]


def test_a_deleted_account_leaves_no_region_on_the_member_or_their_posts(ip_regions, member):
    thread = make_thread()
    mine = _reply_through_the_page(_from(SHENZHEN), thread, member)
    theirs = _reply_through_the_page(_from(BEIJING_V6), thread, UserFactory(), body="我也是")
    User.objects.filter(pk=member.pk).update(region="CN-GD")
    moderation_services.member_delete(actor=member, member=User.objects.get(pk=member.pk))
    member.refresh_from_db()
    assert member.region == ""
    assert Post.objects.get(pk=mine.pk).region == ""  # the post stays, by deleted-<id>
    assert Post.objects.get(pk=theirs.pk).region == "CN-BJ"  # others' are theirs


# API -------------------------------------------------------------------------------------


def test_the_api_gives_the_region_of_posts_and_profiles_in_the_callers_language(ip_regions, member):
    thread = make_thread()
    api = _app_from(SHENZHEN, member)
    response = run_after_commit(
        lambda: api.post(
            f"/api/v1/threads/{thread.pk}/posts/",
            {"body": "同款机型也这样"},
            format="json",
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    )
    assert response.status_code == 201
    assert response.json()["region"] == "广东"
    assert Post.objects.get(pk=response.json()["id"]).region == "CN-GD"
    listed = (
        APIClient()
        .get(f"/api/v1/threads/{thread.pk}/posts/", HTTP_ACCEPT_LANGUAGE="en")
        .json()["results"]
    )
    assert [p["region"] for p in listed] == [None, "Guangdong"]  # the opening post: no address
    profile = APIClient().get(f"/api/v1/members/{member.username}/", HTTP_ACCEPT_LANGUAGE="en")
    assert profile.json()["region"] == "Guangdong"  # from the app's sign-in


def test_a_thread_started_through_the_api_keeps_its_region(ip_regions, member, board):
    api = _app_from(BEIJING_V6, member)
    response = api.post(
        f"/api/v1/boards/{board.slug}/threads/",
        {"title": "IPv6 下推送延迟", "body": "换了 IPv6 之后推送慢"},
        format="json",
    )
    assert response.status_code == 201
    assert Post.objects.get(thread__board=board, floor=1).region == "CN-BJ"


def test_the_api_shows_no_region_for_a_post_hidden_from_the_caller(ip_regions, member):
    thread = make_thread()
    Post.objects.filter(thread=thread).update(region="CN-GD", is_hidden=True)
    listed = APIClient().get(f"/api/v1/threads/{thread.pk}/posts/").json()["results"]
    assert [p["region"] for p in listed] == [None]


# Query counts ----------------------------------------------------------------------------


def test_turned_on_the_thread_and_profile_pages_cost_the_same_queries(
    ip_regions, client, django_assert_num_queries
):
    thread = make_thread(board=BoardFactory())
    for _ in range(5):
        make_reply(thread=thread)
    Post.objects.filter(thread=thread).update(region="CN-GD")
    author = thread.author
    User.objects.filter(pk=author.pk).update(region="CN-SH")
    with django_assert_num_queries(THREAD_PAGE_ANON):
        page = client.get(thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.content.decode().count("IP属地：广东") == 6
    profile_url = reverse("forum:member", kwargs={"username": author.username})
    with django_assert_num_queries(MEMBER_PROFILE_ANON):
        assert "上海" in client.get(profile_url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    client.force_login(UserFactory())
    with django_assert_num_queries(THREAD_PAGE_MEMBER):
        client.get(thread.get_absolute_url())
    with django_assert_num_queries(MEMBER_PROFILE_MEMBER):
        client.get(profile_url)
