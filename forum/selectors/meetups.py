"""Meetups as pages read them: upcoming events by city, an event's sign-ups."""

from django.db.models import QuerySet
from django.utils import timezone

from forum.models import Board, Event, EventSignup, SignupStatus


def upcoming_events(user, *, city=None, now=None) -> QuerySet[Event]:
    """Meetups not yet over in boards this viewer may read, soonest first (keyset-paged
    on (starts_at, id) by the callers); thread, board and city come along."""
    now = now or timezone.now()
    events = Event.objects.filter(
        ends_at__gt=now,
        is_cancelled=False,
        thread__is_hidden=False,
        thread__is_pending=False,
        thread__board__in=Board.objects.visible_to(user).values("pk"),
    ).select_related("thread", "thread__board", "city")
    if city is not None:
        events = events.filter(city=city)
    return events.order_by("starts_at", "id")


def event_of_thread(thread) -> Event | None:
    return Event.objects.select_related("city").filter(thread=thread).first()


def signup_of(event: Event, user) -> EventSignup | None:
    if not user.is_authenticated:
        return None
    return EventSignup.objects.filter(event=event, user=user).first()


def event_signups(event: Event) -> QuerySet[EventSignup]:
    """Seats first, then the waiting list in its order (the organiser's list and export)."""
    return EventSignup.objects.filter(event=event).order_by("-status", "id")


def waiting_position(event: Event, signup: EventSignup) -> int | None:
    """Where a waiting member stands (1 = next to move up)."""
    if signup.status != SignupStatus.WAITING:
        return None
    return EventSignup.objects.filter(
        event=event, status=SignupStatus.WAITING, id__lte=signup.pk
    ).count()
