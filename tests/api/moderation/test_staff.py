"""The staff resources over the API: the console's figures and actives by day, the member
list with every console filter and sort, core flags and their locks, and exports (a job
with progress, then a signed, expiring download link for staff only)."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import CoreFlagChange, DailyActivity, DailyStats, Program, User
from forum.models import SectionDailyStats
from moderation import selectors
from moderation import services as moderation_services
from moderation.models import AuditLog, UserExport
from tests.api.conftest import token_client
from tests.api.moderation.conftest import ROLES, as_role, everything
from tests.factories import DeviceFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/staff"
SIGNED_IN = 3  # the session token's session (2) and its user (1)


def _stats(days: int):
    today = timezone.localdate()
    DailyStats.objects.bulk_create(
        DailyStats(
            day=today - timedelta(days=n),
            dau=100 + n,
            wau=500 + n,
            mau=1000 + n,
            stickiness=0.1,
            new_posts=50 + n,
            new_users=7,
            computed_at=timezone.now(),
        )
        for n in range(1, days + 1)
    )


def _with_email_permission(user):
    user.user_permissions.add(
        Permission.objects.get(codename="export_emails", content_type__app_label="moderation")
    )
    return User.objects.get(pk=user.pk)


# Who may -----------------------------------------------------------------------------------


def _calls(world):
    target = world.member
    export = UserExport.objects.create(requested_by_name="boss", status="done")
    export.file.save("members-x.csv", io.BytesIO("\ufeffid\n".encode()), save=True)
    token = selectors.download_token(export)
    return [
        ("get", f"{API}/dashboard/", {}),
        ("get", f"{API}/actives/", {}),
        ("get", f"{API}/members/", {}),
        ("get", f"{API}/members/count/", {}),
        ("get", f"{API}/members/{target.pk}/", {}),
        ("get", f"{API}/members/{target.pk}/core-flag-history/", {}),
        ("post", f"{API}/members/{target.pk}/core-lock/", {"lock": "on", "reason": "Beta lead"}),
        ("post", f"{API}/exports/", {"emails": False}),
        ("get", f"{API}/exports/{export.pk}/", {}),
        ("get", f"{API}/exports/{export.pk}/download/{token}/", {}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_the_staff_resources_are_for_staff_only(world, role, django_capture_on_commit_callbacks):
    calls = _calls(world)
    api = as_role(world, role)
    before = everything()
    for method, url, data in calls:
        with django_capture_on_commit_callbacks(execute=True):
            if method == "post":
                response = api.post(url, data, format="json")
            else:
                response = api.get(url, data)
        if role == "staff":
            assert response.status_code in (200, 202), (url, response.content)
        else:
            assert response.status_code == (401 if role == "anonymous" else 403), url
            if role != "anonymous":
                assert response.json()["detail"] == "The console is for staff."
    if role != "staff":
        assert everything() == before


# The dashboard and actives ----------------------------------------------------------------


def test_the_dashboard_has_todays_actives_and_yesterdays_figures(world):
    _stats(3)
    section = SectionFactory()
    SectionDailyStats.objects.create(
        day=timezone.localdate() - timedelta(days=1),
        section=section,
        posters=9,
        computed_at=timezone.now(),
    )
    api = token_client(world.staff)
    seen = api.get(f"{API}/dashboard/").json()["live_actives"]
    for user in UserFactory.create_batch(2):
        DailyActivity.objects.get_or_create(user=user, day=timezone.localdate())
    body = api.get(f"{API}/dashboard/").json()
    assert body["today"] == timezone.localdate().isoformat()
    assert body["live_actives"] == seen + 2
    yesterday = body["yesterday"]
    assert (yesterday["dau"], yesterday["wau"], yesterday["mau"]) == (101, 501, 1001)
    assert body["sections"] == [
        {
            "day": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "section": {"id": section.pk, "slug": section.slug, "name": section.name},
            "posters": 9,
            "posters_week": 0,
            "posters_month": 0,
            "stickiness": 0.0,
            "likers": 0,
            "new_threads": 0,
            "new_posts": 0,
            "likes": 0,
        }
    ]


def test_before_the_job_has_run_yesterday_is_null(world):
    assert token_client(world.staff).get(f"{API}/dashboard/").json()["yesterday"] is None


def test_actives_are_a_series_by_day_over_a_range(world):
    _stats(100)
    api = token_client(world.staff)
    today = timezone.localdate()
    start, end = today - timedelta(days=10), today - timedelta(days=1)
    days = api.get(f"{API}/actives/", {"start": start, "end": end, "page_size": 100}).json()
    assert [d["day"] for d in days["results"]] == [
        (start + timedelta(days=n)).isoformat() for n in range(10)
    ]
    assert days["results"][-1] == {
        **days["results"][-1],
        "dau": 101,
        "wau": 501,
        "mau": 1001,
    }
    # Without a range: the console's default, the last 90 days up to yesterday.
    default = api.get(f"{API}/actives/", {"page_size": 100}).json()
    assert len(default["results"]) == 90
    assert default["results"][-1]["day"] == (today - timedelta(days=1)).isoformat()


@pytest.mark.parametrize("days", [2, 10])
def test_actives_cost_the_same_for_2_or_10_days(world, django_assert_num_queries, days):
    _stats(days)
    api = token_client(world.staff)
    with django_assert_num_queries(SIGNED_IN + 1):
        page = api.get(f"{API}/actives/", {"page_size": 3}).json()
    seen = [d["day"] for d in page["results"]]
    while page["next"]:
        with django_assert_num_queries(SIGNED_IN + 1):
            page = api.get(page["next"]).json()
        seen += [d["day"] for d in page["results"]]
    assert seen == sorted(set(seen)) and len(seen) == days


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "2026-03-02", "end": "2026-03-01"}, "end"),
        ({"start": "2020-01-01", "end": "2026-01-01"}, "start"),
        ({"start": "soon"}, "start"),
        ({"end": "0001-01-01"}, "end"),
        ({"start": "9999-12-31", "end": "9999-12-31"}, "start"),
    ],
)
def test_bad_ranges_are_a_400(world, query, field):
    response = token_client(world.staff).get(f"{API}/actives/", query)
    assert response.status_code == 400
    assert field in response.json()["errors"]


# The member list ---------------------------------------------------------------------------


def _members(count: int):
    device = DeviceFactory(codename="houji")
    today = timezone.localdate()
    for n in range(count):
        user = UserFactory(reputation=100 * n)
        user.devices.add(device, DeviceFactory())
        DailyActivity.objects.create(user=user, day=today - timedelta(days=1), posts=n)
    return device


def _all(api, params) -> list[dict]:
    page = api.get(f"{API}/members/", {**params, "page_size": 4})
    assert page.status_code == 200, page.content
    page = page.json()
    rows = page["results"]
    while page["next"]:
        page = api.get(page["next"]).json()
        rows += page["results"]
    return rows


def test_the_member_list_filters_as_the_console_does(world):
    device = _members(12)
    api = token_client(world.staff)
    senior = _all(api, {"level": "senior", "sort": "reputation"})
    assert [u["reputation"] for u in senior] == [1000, 1100]
    assert senior[0]["level"] == {"key": "senior", "name": "Senior"}
    between = _all(api, {"reputation_min": 200, "reputation_max": 400})
    assert sorted(u["reputation"] for u in between) == [200, 300, 400]
    assert {u["posts_30"] for u in _all(api, {"posts_min": 10})} == {10, 11}
    owners = _all(api, {"days_active_min": 0, "device": "houji"})
    assert len(owners) == 12 and all("houji" in u["devices"] for u in owners)
    User.objects.filter(reputation=500).update(is_core=True)
    assert [u["reputation"] for u in _all(api, {"core": "yes"})] == [500]
    old = UserFactory()
    User.objects.filter(pk=old.pk).update(date_joined=timezone.now() - timedelta(days=400))
    cutoff = (timezone.localdate() - timedelta(days=300)).isoformat()
    assert [u["id"] for u in _all(api, {"joined_before": cutoff})] == [old.pk]
    assert old.pk not in [u["id"] for u in _all(api, {"joined_after": cutoff})]
    # The count the console shows on its export button, for the same filter.
    counted = api.get(f"{API}/members/count/", {"device": "houji", "reputation_min": 500})
    assert counted.json() == {"count": 7}
    bad = api.get(f"{API}/members/count/", {"device": str(device.pk)})  # a codename, not an id
    assert bad.status_code == 400 and "device" in bad.json()["errors"]


def test_the_program_filter_takes_its_slug(world):
    beta = moderation_services.program_create(
        actor=world.staff,
        devices=(),
        name="Xiaomi 14 closed beta",
        slug="x14-beta",
        description="",
        seats=5,
        status=Program.Status.OPEN,
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=None,
    )
    moderation_services.program_invite(program=beta, user=world.member, actor=world.staff)
    membership = world.member.program_memberships.get()
    account_services.program_accept(user=world.member, code=membership.code)
    rows = _all(token_client(world.staff), {"program": "x14-beta"})
    assert [(u["username"], u["programs"]) for u in rows] == [("member", ["x14-beta"])]


@pytest.mark.parametrize("sort", [f"{d}{k}" for k in selectors.SORTS for d in ("", "-")])
def test_every_sort_pages_through_every_member_once(world, sort):
    _members(9)
    now = timezone.now()
    for n, user in enumerate(User.objects.order_by("pk")[:5]):
        User.objects.filter(pk=user.pk).update(last_seen_at=now - timedelta(hours=n % 3))
    api = token_client(world.staff)
    rows = _all(api, {"sort": sort})
    ids = [u["id"] for u in rows]
    assert len(ids) == len(set(ids)) == User.objects.count()
    # In the order the console shows them.
    expected = list(selectors.members_filtered({}, sort=sort).values_list("pk", flat=True))
    assert ids == expected


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        (
            {"reputation_min": 10, "reputation_max": 1, "days_active_min": 99, "level": "god"},
            {"reputation_max", "days_active_min", "level"},
        ),
        ({"device": "no-such-phone"}, {"device"}),
        ({"device": "1"}, {"device"}),  # a codename, not an id
        ({"program": "no-such-program"}, {"program"}),
        ({"joined_before": "9999-12-31"}, {"joined_before"}),
        ({"sort": "-shoe_size"}, {"sort"}),
    ],
)
def test_bad_member_filters_are_a_400(world, query, fields):
    response = token_client(world.staff).get(f"{API}/members/", query)
    assert response.status_code == 400, response.content
    assert fields <= set(response.json()["errors"])


# signed in (3); the page with its 30-day figures (1); its devices and programs (2)
MEMBER_LIST = SIGNED_IN + 3


@pytest.mark.parametrize("count", [2, 10])
def test_the_member_list_costs_the_same_for_2_or_10_members(
    world, django_assert_num_queries, count
):
    _members(count)
    api = token_client(world.staff)
    with django_assert_num_queries(MEMBER_LIST):
        page = api.get(f"{API}/members/", {"sort": "-posts", "page_size": 5}).json()
    with django_assert_num_queries(MEMBER_LIST):
        api.get(page["next"])
    # + the device named by its codename, and the form's own lookup of it by id
    with django_assert_num_queries(MEMBER_LIST + 2):
        api.get(f"{API}/members/", {"device": "houji", "page_size": 5})


# Core flags --------------------------------------------------------------------------------


def test_staff_lock_a_core_flag_and_read_its_history(world):
    api = token_client(world.staff)
    url = f"{API}/members/{world.member.pk}/core-lock/"
    locked = api.post(url, {"lock": "on", "reason": "Leads the beta group"}, format="json")
    assert locked.status_code == 200, locked.content
    assert (locked.json()["is_core"], locked.json()["core_lock"]) == (True, "on")
    assert locked.json()["core_since"]
    unlocked = api.post(url, {"lock": "", "reason": "Let the job decide"}, format="json").json()
    assert unlocked["core_lock"] == ""
    history = api.get(f"{API}/members/{world.member.pk}/core-flag-history/").json()["results"]
    assert [(h["lock"], h["reason"], h["changed_by_name"]) for h in history] == [
        ("", "Let the job decide", "boss"),
        ("on", "Leads the beta group", "boss"),
    ]
    detail = api.get(f"{API}/members/{world.member.pk}/").json()
    assert detail["username"] == "member" and detail["is_core"] is True


def test_a_core_lock_writes_what_the_page_writes(client, world):
    first, second = UserFactory(), UserFactory()
    client.force_login(world.staff)
    page = client.post(
        reverse("moderation:console_core_lock", args=[first.pk]), {"lock": "off", "reason": "No"}
    )
    assert page.status_code == 302
    token_client(world.staff).post(
        f"{API}/members/{second.pk}/core-lock/", {"lock": "off", "reason": "No"}, format="json"
    )

    def rows(user):
        log = AuditLog.objects.get(action="core_lock", target_id=user.pk)
        change = CoreFlagChange.objects.get(user=user)
        return (
            (log.actor_id, log.reason, log.before, log.after, log.ip),
            (change.old, change.new, change.lock, change.changed_by_id, change.reason),
        )

    assert rows(first) == rows(second)


@pytest.mark.parametrize(
    ("body", "field"),
    [({"lock": "on"}, "reason"), ({"lock": "maybe", "reason": "x"}, "lock"), ({}, "lock")],
)
def test_a_bad_core_lock_is_a_400_and_changes_nothing(world, body, field):
    before = everything()
    response = token_client(world.staff).post(
        f"{API}/members/{world.member.pk}/core-lock/", body, format="json"
    )
    assert response.status_code == 400 and field in response.json()["errors"]
    assert everything() == before


def test_unknown_members_are_404(world):
    api = token_client(world.staff)
    assert api.get(f"{API}/members/999999/").status_code == 404
    assert api.get(f"{API}/members/999999/core-flag-history/").status_code == 404
    missing = api.post(f"{API}/members/999999/core-lock/", {"lock": "on", "reason": "x"})
    assert missing.status_code == 404


@pytest.mark.parametrize("changes", [2, 10])
def test_the_core_flag_history_costs_the_same_for_2_or_10_changes(
    world, django_assert_num_queries, changes
):
    for n in range(changes):
        account_services.core_flag_lock(
            user=world.member, actor=world.staff, lock="on" if n % 2 else "off", reason=f"r{n}"
        )
    api = token_client(world.staff)
    # signed in (3), the member (1), the page of changes (1)
    with django_assert_num_queries(SIGNED_IN + 2):
        page = api.get(
            f"{API}/members/{world.member.pk}/core-flag-history/", {"page_size": 3}
        ).json()
    assert len(page["results"]) == min(changes, 3)


# Exports -----------------------------------------------------------------------------------


def _read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_an_export_is_a_job_with_progress_then_a_signed_link(
    world, settings, django_capture_on_commit_callbacks
):
    settings.POPCORN = {**settings.POPCORN, "EXPORT_CHUNK_ROWS": 2}
    houji = DeviceFactory(codename="houji")
    for n in range(5):
        UserFactory(username=f"用户{n}").devices.add(houji)
    api = token_client(world.staff)

    # Asked, not yet written: the job is queued after the commit.
    with django_capture_on_commit_callbacks(execute=False) as queued:
        started = api.post(f"{API}/exports/", {"device": "houji"}, format="json")
    assert started.status_code == 202, started.content
    body = started.json()
    assert (body["status"], body["total_rows"], body["rows_written"]) == ("pending", 5, 0)
    assert body["download_url"] is None and body["percent"] == 0
    export = UserExport.objects.get(pk=body["id"])
    assert export.streamed is False and export.filters == {"device": str(houji.pk)}
    row = AuditLog.objects.get(action="users_export")
    assert (row.actor, row.target_id, row.after["rows"], row.after["streamed"]) == (
        world.staff,
        export.pk,
        5,
        False,
    )
    assert len(queued) == 1

    # The job runs (moderation.write_user_export, eager in the suite).
    for callback in queued:
        callback()
    done = api.get(f"{API}/exports/{export.pk}/").json()
    assert (done["status"], done["rows_written"], done["percent"]) == ("done", 5, 100)
    assert done["download_expires_in"] == settings.POPCORN["EXPORT_LINK_MAX_AGE"]
    link = done["download_url"]
    assert link.startswith(f"{API}/exports/{export.pk}/download/")

    download = api.get(link)
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    rows = _read_csv(download)
    assert rows[0][:2] == ["id", "username"] and "email" not in rows[0]
    assert {r[1] for r in rows[1:]} == {f"用户{n}" for n in range(5)}

    # The link is for staff only, signed and expiring.
    assert token_client(world.mod_a).get(link).status_code == 403
    forged = api.get(f"{API}/exports/{export.pk}/download/not-signed/")
    assert forged.status_code == 403 and "not valid" in forged.json()["detail"]
    other = UserExport.objects.create(requested_by_name="boss", status="done")
    borrowed = link.replace(f"/exports/{export.pk}/", f"/exports/{other.pk}/")
    assert api.get(borrowed).status_code == 403  # signed for another export
    settings.POPCORN = {**settings.POPCORN, "EXPORT_LINK_MAX_AGE": -1}
    assert api.get(link).status_code == 403  # expired


def test_the_job_shows_its_progress_while_it_writes(world):
    export = UserExport.objects.create(
        requested_by=world.staff, requested_by_name="boss", status="running", total_rows=200
    )
    UserExport.objects.filter(pk=export.pk).update(rows_written=50)
    body = token_client(world.staff).get(f"{API}/exports/{export.pk}/").json()
    assert (body["status"], body["status_label"], body["percent"]) == ("running", "Writing", 25)
    assert body["download_url"] is None


def test_emails_need_the_permission_to_ask_and_to_read(world, django_capture_on_commit_callbacks):
    UserFactory(email="fan@example.com")
    api = token_client(world.staff)
    before = everything()
    refused = api.post(f"{API}/exports/", {"emails": True}, format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Exporting emails needs its own permission."
    assert everything() == before

    allowed = token_client(_with_email_permission(world.staff))
    with django_capture_on_commit_callbacks(execute=True):
        started = allowed.post(f"{API}/exports/", {"emails": True}, format="json").json()
    done = allowed.get(f"{API}/exports/{started['id']}/").json()
    rows = _read_csv(allowed.get(done["download_url"]))
    assert rows[0][2] == "email" and "fan@example.com" in {r[2] for r in rows[1:]}
    # Another staff member without the permission may not read it, nor follow its link.
    other = token_client(UserFactory(username="staff2", is_staff=True))
    assert other.get(f"{API}/exports/{started['id']}/").status_code == 403
    assert other.get(done["download_url"]).status_code == 403


def test_a_deleted_file_is_a_404(world):
    export = UserExport.objects.create(requested_by_name="boss", status="expired")
    link = f"{API}/exports/{export.pk}/download/{selectors.download_token(export)}/"
    response = token_client(world.staff).get(link)
    assert response.status_code == 404
    assert response.json()["detail"] == "This export file was deleted."
    assert token_client(world.staff).get(f"{API}/exports/999999/").status_code == 404


def test_a_job_whose_filter_no_longer_holds_fails_and_says_why(
    world, django_capture_on_commit_callbacks
):
    device = DeviceFactory(codename="houji")
    UserFactory().devices.add(device)
    api = token_client(world.staff)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        started = api.post(f"{API}/exports/", {"device": "houji"}, format="json").json()
    device.delete()
    for callback in queued:
        callback()
    failed = api.get(f"{API}/exports/{started['id']}/").json()
    assert failed["status"] == "failed" and "device" in failed["error"]
    assert failed["download_url"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"device": "no-such-phone"}, "device"),
        ({"reputation_min": 5, "reputation_max": 1}, "reputation_max"),
        ({"joined_after": "0001-01-01"}, "joined_after"),
        ({"emails": "perhaps"}, "emails"),
    ],
)
def test_a_bad_export_filter_is_a_400_and_nothing_is_exported(world, body, field):
    before = everything()
    response = token_client(world.staff).post(f"{API}/exports/", body, format="json")
    assert response.status_code == 400 and field in response.json()["errors"]
    assert everything() == before


def test_filter_text_that_cannot_be_looked_up_is_a_400(world):
    api = token_client(world.staff)
    for field in ("device", "program"):
        response = api.get(f"{API}/members/", {field: "houji\x00"})
        assert response.status_code == 400 and field in response.json()["errors"]


def test_staff_act_from_the_browser_session_too_with_csrf(world):
    from rest_framework.test import APIClient

    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(world.staff)
    assert browser.get(f"{API}/dashboard/").status_code == 200
    url = f"{API}/members/{world.member.pk}/core-lock/"
    body = {"lock": "on", "reason": "Beta lead"}
    refused = browser.post(url, body, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    browser.get(reverse("moderation:console_member", args=[world.member.pk]))  # sets the cookie
    done = browser.post(
        url, body, format="json", HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value
    )
    assert done.status_code == 200 and done.json()["core_lock"] == "on"
