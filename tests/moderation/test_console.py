"""The staff console over HTTP: who may see it, what it shows, how many queries it costs."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accounts.models import CoreFlagChange, DailyActivity, DailyStats, User
from forum.models import SectionDailyStats
from moderation import services as moderation_services
from moderation.models import AuditLog, UserExport
from tests.factories import (
    BoardFactory,
    DeviceFactory,
    SectionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles(db):
    staff = StaffFactory()
    moderator = UserFactory()
    moderation_services.moderator_add(user=moderator, board=BoardFactory(), actor=staff)
    return {
        "anonymous": None,
        "member": UserFactory(),
        "moderator": moderator,
        "global_moderator": UserFactory(is_global_moderator=True),
        "staff": staff,
    }


def _urls(target: User, export: UserExport) -> list[tuple[str, str]]:
    from moderation.selectors import download_token

    return [
        ("get", reverse("moderation:console")),
        ("get", reverse("moderation:console_members")),
        ("get", reverse("moderation:console_member", args=[target.pk])),
        ("post", reverse("moderation:console_export_start")),
        ("post", reverse("moderation:console_core_lock", args=[target.pk])),
        ("get", reverse("moderation:console_export", args=[export.pk])),
        (
            "get",
            reverse(
                "moderation:console_export_download",
                args=[export.pk, download_token(export)],
            ),
        ),
    ]


@pytest.mark.parametrize("role", ["anonymous", "member", "moderator", "global_moderator"])
def test_only_staff_reach_any_console_url(client, roles, role):
    target = UserFactory()
    export = UserExport.objects.create(requested_by_name="x", status="done")
    if roles[role]:
        client.force_login(roles[role])
    for method, url in _urls(target, export):
        response = getattr(client, method)(url, {"lock": "on", "reason": "x"})
        if role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        else:
            assert response.status_code == 403, url
    assert UserExport.objects.count() == 1
    assert not CoreFlagChange.objects.exists()
    target.refresh_from_db()
    assert not target.is_core


def test_staff_reach_every_console_url(client, roles, django_capture_on_commit_callbacks):
    client.force_login(roles["staff"])
    target = UserFactory()
    export = UserExport.objects.create(requested_by_name="x", status="pending")
    for method, url in _urls(target, export):
        with django_capture_on_commit_callbacks(execute=True):
            response = getattr(client, method)(url, {"lock": "on", "reason": "Beta lead"})
        if "download" in url:
            assert response.status_code == 410  # pending: no file to give yet
        else:
            assert response.status_code in (200, 302), url


def _stats(days: int):
    today = timezone.localdate()
    section = SectionFactory()
    DailyStats.objects.bulk_create(
        DailyStats(
            day=today - timedelta(days=n),
            dau=100 + n,
            wau=500,
            mau=1000,
            stickiness=0.1,
            new_posts=50 + n,
            new_users=7,
            computed_at=timezone.now(),
        )
        for n in range(1, days + 1)
    )
    SectionDailyStats.objects.create(
        day=today - timedelta(days=1), section=section, posters=9, computed_at=timezone.now()
    )


@pytest.mark.parametrize("days", [3, 90])
def test_dashboard_queries_do_not_grow_with_days(client, staff, days, django_assert_num_queries):
    _stats(days)
    client.force_login(staff)
    # session, user; today's live actives; yesterday's row; its sections; the chart's rows.
    with django_assert_num_queries(6):
        response = client.get(reverse("moderation:console"))
    assert response.status_code == 200


def test_dashboard_shows_live_actives_yesterday_and_the_chart(client, staff):
    _stats(90)
    today = timezone.localdate()
    for user in UserFactory.create_batch(3):
        DailyActivity.objects.get_or_create(user=user, day=today)
    client.force_login(staff)  # staff's own visit makes four
    response = client.get(reverse("moderation:console"))
    html = response.content.decode()
    assert response.context["board"].live_actives == 4
    assert response.context["board"].yesterday.dau == 101
    assert "<svg" in html and html.count("<polyline") == 2
    assert len(response.context["chart"].series[0].points.split()) == 90
    assert "https://" not in html.split("<svg")[1].split("</svg>")[0]  # nothing from a CDN


def test_dashboard_date_range_picker(client, staff):
    _stats(90)
    client.force_login(staff)
    today = timezone.localdate()
    start, end = today - timedelta(days=10), today - timedelta(days=1)
    response = client.get(reverse("moderation:console"), {"start": start, "end": end})
    assert (response.context["first"], response.context["last"]) == (start, end)
    assert len(response.context["chart"].series[0].points.split()) == 10
    bad = client.get(reverse("moderation:console"), {"start": end, "end": start})
    assert bad.status_code == 200
    assert bad.context["form"].errors["end"]
    assert bad.context["last"] == today - timedelta(days=1)  # the default range instead
    garbage = client.get(reverse("moderation:console"), {"start": "soon"})
    assert garbage.status_code == 200 and garbage.context["form"].errors["start"]


def _members(count: int):
    device = DeviceFactory(codename="houji")
    today = timezone.localdate()
    for n in range(count):
        user = UserFactory(reputation=100 * n)
        user.devices.add(device, DeviceFactory())
        DailyActivity.objects.create(user=user, day=today - timedelta(days=1), posts=n)
    return device


@pytest.mark.parametrize("count", [3, 40])
def test_member_list_queries_do_not_grow(client, staff, count, django_assert_num_queries):
    _members(count)
    client.force_login(staff)
    # session, user; the count; the staff member's permissions, user and group (2: may they
    # export emails?); the devices and programs offered by the filter; the page with its
    # 30-day figures; the devices and the programs of the page.
    with django_assert_num_queries(10):
        response = client.get(reverse("moderation:console_members"), {"sort": "-posts"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count + 1, 50)


def test_member_list_filters_and_sorts(client, staff):
    device = _members(12)
    client.force_login(staff)
    url = reverse("moderation:console_members")
    page = client.get(url, {"level": "senior", "sort": "reputation"}).context["page"]
    assert [u.reputation for u in page.object_list] == [1000, 1100]
    page = client.get(url, {"reputation_min": 200, "reputation_max": 400}).context["page"]
    assert sorted(u.reputation for u in page.object_list) == [200, 300, 400]
    page = client.get(url, {"posts_min": 10}).context["page"]
    assert {u.posts_30 for u in page.object_list} == {10, 11}
    page = client.get(url, {"days_active_min": 1, "device": device.pk}).context["page"]
    assert page.paginator.count == 12
    User.objects.filter(reputation=500).update(is_core=True)
    page = client.get(url, {"core": "yes"}).context["page"]
    assert [u.reputation for u in page.object_list] == [500]
    old = UserFactory()
    User.objects.filter(pk=old.pk).update(date_joined=timezone.now() - timedelta(days=400))
    cutoff = (timezone.localdate() - timedelta(days=300)).isoformat()
    page = client.get(url, {"joined_before": cutoff}).context["page"]
    assert [u.pk for u in page.object_list] == [old.pk]
    page = client.get(url, {"joined_after": cutoff}).context["page"]
    assert old.pk not in [u.pk for u in page.object_list]


def test_member_list_bad_filters_are_form_errors_not_500(client, staff):
    client.force_login(staff)
    url = reverse("moderation:console_members")
    response = client.get(
        url, {"reputation_min": 10, "reputation_max": 1, "days_active_min": 99, "level": "god"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"reputation_max", "days_active_min", "level"} <= set(errors)


def test_staff_lock_the_core_flag_from_the_console_and_it_is_audited(client, staff):
    target = UserFactory()
    client.force_login(staff)
    url = reverse("moderation:console_core_lock", args=[target.pk])
    response = client.post(url, {"lock": "on", "reason": "Leads the beta group"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.is_core, target.core_lock) == (True, "on")
    change = CoreFlagChange.objects.get(user=target)
    assert change.changed_by == staff and change.reason == "Leads the beta group"
    log = AuditLog.objects.get(action=AuditLog.Action.CORE_LOCK)
    assert (log.actor, log.target_id, log.after) == (staff, target.pk, {"core": True, "lock": "on"})
    page = client.get(reverse("moderation:console_member", args=[target.pk]))
    assert "Leads the beta group" in page.content.decode()
    # A missing reason is refused with a message, and nothing changes.
    client.post(url, {"lock": "off", "reason": ""})
    target.refresh_from_db()
    assert target.is_core and CoreFlagChange.objects.count() == 1


@pytest.mark.parametrize("changes", [1, 30])
def test_member_page_queries_do_not_grow_with_history(
    client, staff, changes, django_assert_num_queries
):
    from accounts import services as account_services

    target = UserFactory()
    for n in range(changes):
        account_services.core_flag_lock(
            user=target, actor=staff, lock="on" if n % 2 else "off", reason=f"r{n}"
        )
    client.force_login(staff)
    # session, user; the member with their 30-day figures; the history.
    with django_assert_num_queries(4):
        response = client.get(reverse("moderation:console_member", args=[target.pk]))
    assert len(response.context["history"]) == changes


def test_export_page_queries(client, staff, django_assert_num_queries):
    export = UserExport.objects.create(requested_by_name="x", status="running", total_rows=9)
    client.force_login(staff)
    # session, user; the export. (Emails are not in it, so no permission lookup.)
    with django_assert_num_queries(3):
        assert client.get(reverse("moderation:console_export", args=[export.pk])).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"end": "0001-01-01"},
        {"start": "9999-12-31", "end": "9999-12-31"},
        {"start": "0001-01-01"},
    ],
)
def test_far_off_chart_dates_are_form_errors_not_500(client, staff, query):
    client.force_login(staff)
    response = client.get(reverse("moderation:console"), query)
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.parametrize("query", [{"joined_before": "9999-12-31"}, {"joined_after": "0001-01-01"}])
def test_far_off_join_dates_are_form_errors_not_500(client, staff, query):
    client.force_login(staff)
    response = client.get(reverse("moderation:console_members"), query)
    assert response.status_code == 200
    assert response.context["form"].errors
    export = client.post(reverse("moderation:console_export_start") + "?" + urlencode(query))
    assert export.status_code == 400
