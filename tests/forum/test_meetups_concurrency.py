"""Sign-ups racing for the last seat and the last waiting-list place, on PostgreSQL."""

import pytest

from forum import services
from forum.models import Event, EventSignup, SignupStatus
from tests.factories import UserFactory
from tests.forum.meetups_world import make_event
from tests.utils import postgresql_only, run_at_once


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_ten_members_at_once_fill_the_seats_and_waiting_list_and_no_more():
    event = make_event(capacity=3, waitlist=2)
    members = [UserFactory() for _ in range(10)]

    def sign_up(member, wait):
        wait()
        return services.event_signup(event_id=event.pk, user=member).status

    results, errors = run_at_once(members, sign_up)

    assert sorted(results) == ["confirmed"] * 3 + ["waiting"] * 2
    assert len(errors) == 5 and all("full" in str(e) for e in errors)
    event = Event.objects.get(pk=event.pk)
    assert (event.seats_taken, event.waiting_count) == (3, 2)
    assert EventSignup.objects.filter(event=event, status=SignupStatus.CONFIRMED).count() == 3
    assert EventSignup.objects.filter(event=event, status=SignupStatus.WAITING).count() == 2


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_members_racing_for_the_last_seat_one_gets_it_one_waits():
    event = make_event(capacity=2, waitlist=1)
    services.event_signup(event_id=event.pk, user=UserFactory())
    racers = [UserFactory(), UserFactory()]

    def sign_up(member, wait):
        wait()
        return services.event_signup(event_id=event.pk, user=member).status

    results, errors = run_at_once(racers, sign_up)

    assert errors == []
    assert sorted(results) == ["confirmed", "waiting"]
    event = Event.objects.get(pk=event.pk)
    assert (event.seats_taken, event.waiting_count) == (2, 1)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_members_racing_for_the_last_waiting_place_one_is_refused():
    event = make_event(capacity=1, waitlist=2)
    services.event_signup(event_id=event.pk, user=UserFactory())
    services.event_signup(event_id=event.pk, user=UserFactory())
    racers = [UserFactory(), UserFactory()]

    def sign_up(member, wait):
        wait()
        return services.event_signup(event_id=event.pk, user=member).status

    results, errors = run_at_once(racers, sign_up)

    assert results == ["waiting"]
    assert len(errors) == 1
    assert Event.objects.get(pk=event.pk).waiting_count == 2


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_cancellation_racing_a_sign_up_never_gives_the_seat_twice():
    event = make_event(capacity=1, waitlist=1)
    holder, waiting, newcomer = UserFactory(), UserFactory(), UserFactory()
    services.event_signup(event_id=event.pk, user=holder)
    services.event_signup(event_id=event.pk, user=waiting)

    def act(who, wait):
        wait()
        if who is holder:
            return services.event_cancel_signup(event_id=event.pk, user=holder)
        return services.event_signup(event_id=event.pk, user=newcomer)

    run_at_once([holder, newcomer], act)

    event = Event.objects.get(pk=event.pk)
    confirmed = EventSignup.objects.filter(event=event, status=SignupStatus.CONFIRMED)
    assert list(confirmed.values_list("user_id", flat=True)) == [waiting.pk]
    assert event.seats_taken == 1
    assert event.waiting_count == EventSignup.objects.filter(event=event, status="waiting").count()
