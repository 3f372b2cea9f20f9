"""Daily check-in: once per site day, streaks across day boundaries, the bonus on every 7th day."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import CheckIn, ReputationEntry, User
from accounts.services import check_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_two_check_ins_the_same_day_count_once(member):
    first = check_in(user=member, today=date(2026, 11, 30))
    second = check_in(user=member, today=date(2026, 11, 30))
    assert first.checked_in and not second.checked_in
    assert CheckIn.objects.filter(user=member).count() == 1
    member.refresh_from_db()
    assert member.reputation == 1 and member.check_in_streak == 1


def test_streak_grows_on_consecutive_days_and_restarts_after_a_gap(member):
    start = date(2026, 11, 1)
    for n in range(3):
        check_in(user=member, today=start + timedelta(days=n))
    member.refresh_from_db()
    assert member.check_in_streak == 3
    check_in(user=member, today=start + timedelta(days=5))
    member.refresh_from_db()
    assert (member.check_in_streak, member.best_check_in_streak) == (1, 3)


def test_every_seventh_day_in_a_row_earns_the_bonus(member):
    start = date(2026, 11, 1)
    results = [check_in(user=member, today=start + timedelta(days=n)) for n in range(14)]
    assert [r.points for r in results] == [1] * 6 + [6] + [1] * 6 + [6]
    member.refresh_from_db()
    assert member.reputation == 14 + 10
    assert ReputationEntry.objects.filter(user=member, reason="check_in_streak").count() == 2


def test_the_button_uses_the_site_day(settings, client, member):
    settings.TIME_ZONE = "Asia/Shanghai"
    today = timezone.localdate()
    check_in(user=member, today=today - timedelta(days=1))
    client.force_login(member)
    assert client.post(reverse("accounts:check_in"), {"next": "/"}).status_code == 302
    member.refresh_from_db()
    assert (member.last_check_in, member.check_in_streak) == (today, 2)


def test_streak_across_midnight_in_a_non_utc_zone(settings, member):
    settings.TIME_ZONE = "America/Los_Angeles"
    # 07:30 UTC on Dec 1 is still 23:30 on Nov 30 in Los Angeles.
    at = datetime(2026, 12, 1, 7, 30, tzinfo=UTC)
    check_in(user=member, today=timezone.localdate(at - timedelta(days=1)))
    check_in(user=member, today=timezone.localdate(at))
    member.refresh_from_db()
    assert member.last_check_in == date(2026, 11, 30)
    assert member.check_in_streak == 2


def test_the_front_page_button_checks_in_once(client, member):
    client.force_login(member)
    page = client.get("/")
    assert reverse("accounts:check_in") in page.content.decode()
    client.post(reverse("accounts:check_in"), {"next": "/"})
    response = client.post(reverse("accounts:check_in"), {"next": "/"}, follow=True)
    assert "already checked in" in response.content.decode()
    assert "Checked in today" in client.get("/").content.decode()
    assert User.objects.get(pk=member.pk).reputation == 1


def test_check_in_needs_a_signed_in_member_and_post(client, member):
    response = client.post(reverse("accounts:check_in"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(member)
    assert client.get(reverse("accounts:check_in")).status_code == 405
    assert not CheckIn.objects.exists()


def test_check_in_refuses_an_offsite_next(client, member):
    client.force_login(member)
    response = client.post(reverse("accounts:check_in"), {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_profile_shows_streak_and_best(client, member):
    start = timezone.localdate() - timedelta(days=2)
    for n in range(3):
        check_in(user=member, today=start + timedelta(days=n))
    page = client.get(member.get_absolute_url()).content.decode()
    assert "3 days" in page and "best 3" in page


def test_a_missed_day_shows_the_streak_as_broken(client):
    member = UserFactory()
    check_in(user=member, today=timezone.localdate() - timedelta(days=3))
    page = client.get(member.get_absolute_url()).content.decode()
    assert "0 days" in page and "best 1" in page
