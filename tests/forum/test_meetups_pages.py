"""Meetups through the pages: the meetups page by city (queries pinned), the per-city
iCalendar feed, organising, signing up and cancelling, checking in, the organiser's page
and its audited CSV export."""

from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from forum import ical, services
from forum.models import Event, EventSignup, ThreadType
from moderation.models import AuditLog
from tests.factories import BoardFactory, StaffFactory, UserFactory
from tests.forum.meetups_world import city, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# The cities (1), the upcoming meetups with thread, board and city in one join (1), and the
# boards organisers may start one in (1).
MEETUPS_PAGE_ANON = 3


@pytest.mark.parametrize("count", [3, 40])
def test_meetups_page_lists_upcoming_by_city_in_constant_queries(
    client, django_assert_num_queries, settings, count
):
    settings.POPCORN = {**settings.POPCORN, "MEETUPS_PER_PAGE": 40}
    board = BoardFactory(default_thread_type=ThreadType.EVENT)
    organiser = StaffFactory()
    for n in range(count):
        make_event(board=board, organiser=organiser, title=f"Shanghai {n}")
    beijing = city("beijing")
    make_event(board=board, organiser=organiser, title="Beijing only", city=beijing)

    with django_assert_num_queries(MEETUPS_PAGE_ANON):
        response = client.get("/meetups/?city=shanghai")

    html = response.content.decode()
    assert len(response.context["events"]) == count
    assert "Beijing only" not in html and "Shanghai 0" in html


def test_meetups_page_pages_by_key(client, settings):
    settings.POPCORN = {**settings.POPCORN, "MEETUPS_PER_PAGE": 2}
    now = timezone.now()
    for n in range(3):
        make_event(title=f"Meetup {n}", starts_at=now + timedelta(days=n + 1))
    first = client.get("/meetups/")
    assert [e.thread.title for e in first.context["events"]] == ["Meetup 0", "Meetup 1"]
    second = client.get(f"/meetups/?after={first.context['next_cursor']}")
    assert [e.thread.title for e in second.context["events"]] == ["Meetup 2"]
    assert client.get("/meetups/?after=junk").status_code == 200
    assert client.get("/meetups/?city=atlantis").status_code == 404


def test_hidden_and_past_meetups_are_not_listed(client):
    past = make_event(title="Gone")
    Event.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=1)
    )
    hidden = make_event(title="Hidden one")
    hidden.thread.__class__.objects.filter(pk=hidden.thread_id).update(is_hidden=True)
    html = client.get("/meetups/").content.decode()
    assert "Gone" not in html and "Hidden one" not in html


def test_city_calendar_is_rfc5545_text(client):
    event = make_event(title="爆米花, 上海站; 第一期", place="C:\\Hall, 2F")
    response = client.get("/meetups/shanghai.ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:爆米花\\, 上海站\\; 第一期\r\n" in unfolded
    assert "LOCATION:C:\\\\Hall\\, 2F\r\n" in unfolded
    assert ical.escape_text("one\r\ntwo\nthree") == "one\\ntwo\\nthree"
    start = event.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}\r\n" in unfolded
    assert f"UID:meetup-{event.pk}@" in unfolded
    assert client.get("/meetups/nowhere.ics").status_code == 404


def test_a_meetups_board_starts_meetups_and_organisers_announce_one(client, settings):
    settings.POPCORN = {**settings.POPCORN, "MEETUP_ORGANISER_MIN_LEVEL": "senior"}
    board = BoardFactory(default_thread_type=ThreadType.EVENT)
    organiser = UserFactory(reputation=1_000)
    client.force_login(organiser)
    assert client.get(f"/b/{board.slug}/new/")["Location"] == f"/b/{board.slug}/new-meetup/"
    start = timezone.localtime() + timedelta(days=7)
    form = {
        "title": "成都 同城会",
        "city": city("chengdu").pk,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "春熙路",
        "capacity": 30,
        "waitlist_capacity": 10,
        "signup_deadline": (start - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "questions": "Which phone?\nT-shirt size?",
        "body": "Come along.",
    }
    response = client.post(f"/b/{board.slug}/new-meetup/", form)
    event = Event.objects.get()
    assert response["Location"] == event.thread.get_absolute_url()
    assert event.questions == ["Which phone?", "T-shirt size?"] and event.capacity == 30

    bad = client.post(f"/b/{board.slug}/new-meetup/", {**form, "ends_at": form["starts_at"]})
    assert bad.status_code == 400 and "ends after it starts" in bad.content.decode()
    assert Event.objects.count() == 1


def test_members_below_the_level_cannot_organise(client, settings):
    settings.POPCORN = {**settings.POPCORN, "MEETUP_ORGANISER_MIN_LEVEL": "senior"}
    board = BoardFactory(default_thread_type=ThreadType.EVENT)
    client.force_login(UserFactory(reputation=10))
    response = client.get(f"/b/{board.slug}/new-meetup/")
    assert response.status_code == 403 and "may organise" in response.content.decode()


def test_sign_up_cancel_and_waiting_list_on_the_thread_page(client):
    event = make_event(capacity=1, waitlist=1, questions=["Which phone?"])
    url = event.thread.get_absolute_url()
    first, second = UserFactory(), UserFactory()

    client.force_login(first)
    page = client.get(url).content.decode()
    assert "Which phone?" in page and "0 of 1 taken" in page
    client.post(f"/t/{event.thread_id}/meetup/sign-up/", {"answer_0": "Xiaomi 14"})
    assert "You have a seat." in client.get(url).content.decode()

    client.force_login(second)
    client.post(f"/t/{event.thread_id}/meetup/sign-up/", {"answer_0": "Redmi"})
    assert "waiting list, number 1" in client.get(url).content.decode()
    missing = client.post(f"/t/{event.thread_id}/meetup/sign-up/", {}, follow=True)
    assert "required" in missing.content.decode()

    client.force_login(first)
    client.post(f"/t/{event.thread_id}/meetup/cancel/")
    assert EventSignup.objects.get(event=event, user=second).status == "confirmed"
    assert not EventSignup.objects.filter(event=event, user=first).exists()


def test_check_in_from_the_qr_link_during_the_meetup(client):
    event = make_event()
    member = UserFactory()
    services.event_signup(event_id=event.pk, user=member)
    client.force_login(member)
    url = f"/t/{event.thread_id}/meetup/check-in/"
    early = client.post(url, {"code": event.check_in_code})
    assert early.status_code == 400 and "only while the meetup runs" in early.content.decode()

    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(hours=2),
        signup_deadline=now - timedelta(hours=1),
    )
    page = client.get(f"{url}?code={event.check_in_code}")
    assert f'value="{event.check_in_code}"' in page.content.decode()
    assert client.post(url, {"code": event.check_in_code}).status_code == 302
    assert EventSignup.objects.get(user=member).checked_in_at is not None


def test_organiser_sees_the_list_code_and_qr_and_members_do_not(client):
    organiser = StaffFactory()
    event = make_event(organiser=organiser, questions=["Phone?"])
    services.event_signup(event_id=event.pk, user=UserFactory(username="fan_a"), answers=["14"])
    client.force_login(organiser)
    page = client.get(f"/t/{event.thread_id}/meetup/manage/").content.decode()
    assert "fan_a" in page and event.check_in_code in page and "<svg" in page

    client.force_login(UserFactory())
    assert client.get(f"/t/{event.thread_id}/meetup/manage/").status_code == 403
    assert client.post(f"/mod/meetups/{event.thread_id}/export/").status_code == 403
    assert not AuditLog.objects.filter(action="meetup_export").exists()


def test_csv_export_has_a_bom_guards_formulas_and_is_audited(client):
    organiser = UserFactory(reputation=5_000)
    event = make_event(organiser=StaffFactory(), questions=["Phone?"])
    Event.objects.filter(pk=event.pk).update(organiser=organiser)
    services.event_signup(
        event_id=event.pk, user=UserFactory(username="fan_b"), answers=["=HYPERLINK(1)"]
    )
    client.force_login(organiser)
    response = client.post(f"/mod/meetups/{event.thread_id}/export/")
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeffusername,status,signed up,checked in,Phone?")
    assert "'=HYPERLINK(1)" in body and "fan_b" in body
    row = AuditLog.objects.get(action="meetup_export")
    assert row.actor == organiser and row.target_id == event.thread_id and row.after == {"rows": 1}
    assert client.get(f"/mod/meetups/{event.thread_id}/export/").status_code == 405


def test_event_thread_page_queries_do_not_grow_with_sign_ups(client, django_assert_num_queries):
    small, large = make_event(capacity=50), make_event(capacity=50)
    for _n in range(3):
        services.event_signup(event_id=small.pk, user=UserFactory())
    for _n in range(40):
        services.event_signup(event_id=large.pk, user=UserFactory())
    member = UserFactory()
    client.force_login(member)
    client.get(small.thread.get_absolute_url())
    # Both read once already: neither writes its read position again (it does not move).
    client.get(large.thread.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(small.thread.get_absolute_url())
    with django_assert_num_queries(len(few)):
        client.get(large.thread.get_absolute_url())
