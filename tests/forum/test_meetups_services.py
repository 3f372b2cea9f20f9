"""Meetups through forum's services: organising, sign-up and waiting list, check-in,
reminders."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Notification, ReputationEntry
from forum import services
from forum.models import Event, EventSignup, SignupStatus, ThreadType
from tests.factories import BoardFactory, UserFactory, make_thread
from tests.forum.meetups_world import make_event

pytestmark = pytest.mark.django_db


def _sign_up(event, user=None, **kw):
    return services.event_signup(event_id=event.pk, user=user or UserFactory(), **kw)


def test_a_meetup_is_a_thread_of_the_meetup_type_with_its_event():
    event = make_event(capacity=5)
    assert event.thread.thread_type == ThreadType.EVENT
    assert Event.objects.get(thread=event.thread).capacity == 5
    assert len(event.check_in_code) == 6


def test_a_plain_thread_cannot_be_started_as_a_meetup():
    with pytest.raises(ValidationError):
        make_thread(board=BoardFactory(), thread_type=ThreadType.EVENT)


def test_only_staff_and_members_of_the_organiser_level_organise(settings):
    settings.POPCORN = {**settings.POPCORN, "MEETUP_ORGANISER_MIN_LEVEL": "senior"}
    low = UserFactory(reputation=10)
    with pytest.raises(PermissionDenied):
        make_event(organiser=low)
    senior = UserFactory(reputation=1_000)
    assert make_event(organiser=senior).organiser == senior


def test_times_are_checked_field_by_field():
    now = timezone.now()
    with pytest.raises(ValidationError) as caught:
        make_event(
            starts_at=now + timedelta(days=1),
            ends_at=now + timedelta(hours=1),
            signup_deadline=now + timedelta(days=2),
        )
    assert set(caught.value.message_dict) == {"ends_at", "signup_deadline"}


def test_seats_then_waiting_list_then_full():
    event = make_event(capacity=1, waitlist=1)
    assert _sign_up(event).status == SignupStatus.CONFIRMED
    assert _sign_up(event).status == SignupStatus.WAITING
    with pytest.raises(ValidationError, match="full"):
        _sign_up(event)
    event.refresh_from_db()
    assert (event.seats_taken, event.waiting_count) == (1, 1)


def test_one_place_per_member():
    event = make_event()
    member = UserFactory()
    _sign_up(event, member)
    with pytest.raises(ValidationError, match="already"):
        _sign_up(event, member)
    assert Event.objects.get(pk=event.pk).seats_taken == 1


def test_every_question_must_be_answered():
    event = make_event(questions=["Which phone?"])
    with pytest.raises(ValidationError) as caught:
        _sign_up(event, answers=[])
    assert "answers" in caught.value.message_dict
    assert _sign_up(event, answers=["Xiaomi 14"]).answers == ["Xiaomi 14"]


def test_sign_ups_close_at_the_deadline():
    event = make_event()
    Event.objects.filter(pk=event.pk).update(signup_deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(PermissionDenied, match="closed"):
        _sign_up(event)


def test_cancelling_a_seat_moves_the_first_waiting_member_up_and_tells_them():
    event = make_event(capacity=1, waitlist=2)
    holder, first, second = UserFactory(), UserFactory(), UserFactory()
    for member in (holder, first, second):
        _sign_up(event, member)

    moved = services.event_cancel_signup(event_id=event.pk, user=holder)

    assert moved.user == first
    assert EventSignup.objects.get(event=event, user=first).status == SignupStatus.CONFIRMED
    assert EventSignup.objects.get(event=event, user=second).status == SignupStatus.WAITING
    event.refresh_from_db()
    assert (event.seats_taken, event.waiting_count) == (1, 1)
    note = Notification.objects.get(recipient=first)
    assert note.kind == "meetup" and note.title_key == "forum.meetup_seat"
    assert "A seat came free" in note.text
    assert not Notification.objects.filter(recipient=second).exists()


def test_cancelling_a_waiting_place_frees_it():
    event = make_event(capacity=1, waitlist=1)
    _sign_up(event)
    waiting = UserFactory()
    _sign_up(event, waiting)
    assert services.event_cancel_signup(event_id=event.pk, user=waiting) is None
    event.refresh_from_db()
    assert (event.seats_taken, event.waiting_count) == (1, 0)


def test_the_repair_path_recounts_seats():
    event = make_event(capacity=3)
    _sign_up(event)
    Event.objects.filter(pk=event.pk).update(seats_taken=3, waiting_count=2)
    event = services.event_sync_counters(event_id=event.pk)
    assert (event.seats_taken, event.waiting_count) == (1, 0)


def _running(event):
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        starts_at=now - timedelta(minutes=30),
        ends_at=now + timedelta(hours=1),
        signup_deadline=now - timedelta(hours=1),
    )


def test_check_in_during_the_meetup_earns_reputation_once():
    event = make_event()
    member = UserFactory()
    _sign_up(event, member)
    _running(event)

    assert services.event_check_in(event_id=event.pk, user=member, code=event.check_in_code)
    assert not services.event_check_in(event_id=event.pk, user=member, code=event.check_in_code)

    entries = ReputationEntry.objects.filter(user=member, reason="meetup_attended")
    assert entries.count() == 1 and entries.get().source == f"event:{event.pk}"
    member.refresh_from_db()
    assert member.reputation == 10
    assert EventSignup.objects.get(event=event, user=member).checked_in_at is not None


def test_check_in_is_refused_before_the_meetup_and_with_a_wrong_code():
    event = make_event()
    member = UserFactory()
    _sign_up(event, member)
    with pytest.raises(ValidationError, match="only while"):
        services.event_check_in(event_id=event.pk, user=member, code=event.check_in_code)
    _running(event)
    with pytest.raises(ValidationError, match="not this meetup"):
        services.event_check_in(event_id=event.pk, user=member, code="000000x")
    assert not ReputationEntry.objects.filter(user=member).exists()


def test_a_member_on_the_waiting_list_cannot_check_in():
    event = make_event(capacity=1, waitlist=1)
    _sign_up(event)
    waiting = UserFactory()
    _sign_up(event, waiting)
    _running(event)
    with pytest.raises(ValidationError, match="seat"):
        services.event_check_in(event_id=event.pk, user=waiting, code=event.check_in_code)


def test_reminders_go_to_seats_of_tomorrows_meetups_once():
    now = timezone.now()
    tomorrow = make_event(starts_at=now + timedelta(hours=20), capacity=1, waitlist=1)
    later = make_event(starts_at=now + timedelta(days=5))
    seated, waiting, other = UserFactory(), UserFactory(), UserFactory()
    _sign_up(tomorrow, seated)
    _sign_up(tomorrow, waiting)
    _sign_up(later, other)

    assert services.meetup_reminders_send(now=now) == 1
    assert services.meetup_reminders_send(now=now) == 0

    assert Notification.objects.filter(title_key="forum.meetup_reminder").count() == 1
    note = Notification.objects.get(recipient=seated)
    assert "Reminder" in note.text and tomorrow.place in note.text
    assert EventSignup.objects.get(user=seated).reminded_at is not None
