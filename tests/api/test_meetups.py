"""Meetups over the API: the list by city (queries pinned), organising, signing up with a
waiting list, cancelling, checking in, the organiser's list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum import services
from forum.models import Event, ThreadType
from tests.api.conftest import token_client
from tests.factories import BoardFactory, StaffFactory, UserFactory
from tests.forum.meetups_world import city, make_event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [3, 40])
def test_upcoming_meetups_by_city_in_constant_queries(
    api, django_assert_num_queries, settings, count
):
    settings.POPCORN = {**settings.POPCORN, "API_PAGE_SIZE": 40}
    board = BoardFactory(default_thread_type=ThreadType.EVENT)
    organiser = StaffFactory()
    for n in range(count):
        make_event(board=board, organiser=organiser, title=f"Shanghai {n}")
    make_event(board=board, organiser=organiser, city=city("beijing"))
    # The city (1) and one page of meetups with thread, board and city joined (1).
    with django_assert_num_queries(2):
        response = api.get("/api/v1/meetups/?city=shanghai")
    results = response.json()["results"]
    assert len(results) == count and results[0]["city"]["slug"] == "shanghai"
    assert api.get("/api/v1/meetups/?city=atlantis").status_code == 404


def test_organise_a_meetup(settings):
    settings.POPCORN = {**settings.POPCORN, "MEETUP_ORGANISER_MIN_LEVEL": "senior"}
    board = BoardFactory(default_thread_type=ThreadType.EVENT)
    start = timezone.now() + timedelta(days=5)
    body = {
        "title": "深圳 爆米花",
        "body": "Bring your phone.",
        "city_id": city("shenzhen").pk,
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=3)).isoformat(),
        "place": "南山区",
        "capacity": 20,
        "waitlist_capacity": 5,
        "signup_deadline": (start - timedelta(hours=3)).isoformat(),
        "questions": ["Phone?"],
    }
    low = token_client(UserFactory(reputation=10))
    assert low.post(f"/api/v1/boards/{board.slug}/meetups/", body, format="json").status_code == 403
    organiser = token_client(UserFactory(reputation=2_000))
    response = organiser.post(f"/api/v1/boards/{board.slug}/meetups/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["questions"] == ["Phone?"] and len(data["check_in_code"]) == 6
    bad = organiser.post(
        f"/api/v1/boards/{board.slug}/meetups/", {**body, "capacity": 0}, format="json"
    )
    assert bad.status_code == 400 and "capacity" in bad.json()["errors"]
    assert Event.objects.count() == 1


def test_sign_up_waiting_list_cancel_and_move_up():
    event = make_event(capacity=1, waitlist=1, questions=["Phone?"])
    first, second, third = (token_client(UserFactory()) for _ in range(3))
    url = f"/api/v1/meetups/{event.pk}/signup/"

    seat = first.post(url, {"answers": ["14"]}, format="json")
    assert seat.status_code == 201 and seat.json()["my_signup"]["status"] == "confirmed"
    assert seat.json()["check_in_code"] is None
    waiting = second.post(url, {"answers": ["13"]}, format="json")
    assert waiting.json()["my_signup"] == {
        "status": "waiting",
        "waiting_position": 1,
        "checked_in_at": None,
        "answers": ["13"],
    }
    full = third.post(url, {"answers": ["12"]}, format="json")
    assert full.status_code == 400 and "full" in full.json()["detail"]
    assert second.post(url, {"answers": []}, format="json").status_code == 400

    cancelled = first.delete(url)
    assert cancelled.status_code == 200 and cancelled.json()["my_signup"] is None
    mine = second.get(f"/api/v1/meetups/{event.pk}/").json()
    assert mine["my_signup"]["status"] == "confirmed" and mine["waiting_count"] == 0


def test_check_in_over_the_api():
    event = make_event()
    member = UserFactory()
    client = token_client(member)
    client.post(f"/api/v1/meetups/{event.pk}/signup/", {}, format="json")
    url = f"/api/v1/meetups/{event.pk}/check-in/"
    assert client.post(url, {"code": event.check_in_code}).status_code == 400
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        starts_at=now - timedelta(minutes=1), ends_at=now + timedelta(hours=1)
    )
    assert client.post(url, {"code": event.check_in_code}).json() == {"checked_in": True}
    assert client.post(url, {"code": event.check_in_code}).json() == {"checked_in": False}
    member.refresh_from_db()
    assert member.reputation == 10


@pytest.mark.parametrize("count", [3, 40])
def test_organisers_sign_up_list_in_constant_queries(django_assert_num_queries, settings, count):
    settings.POPCORN = {**settings.POPCORN, "API_PAGE_SIZE": 40}
    organiser = StaffFactory()
    event = make_event(organiser=organiser, capacity=50)
    for _n in range(count):
        services.event_signup(event_id=event.pk, user=UserFactory())
    client = token_client(organiser)
    client.get(f"/api/v1/meetups/{event.pk}/signups/")
    # The token's session (2) and user (1), the event (1), its thread with board and
    # device (1), one page of sign-ups (1).
    with django_assert_num_queries(6):
        response = client.get(f"/api/v1/meetups/{event.pk}/signups/")
    assert len(response.json()["results"]) == count
    assert (
        token_client(UserFactory()).get(f"/api/v1/meetups/{event.pk}/signups/").status_code == 403
    )
