"""City meetups (爆米花 / 同城会): an event thread, sign-ups with a waiting list,
check-in at the venue, the day-before reminders.

Seats are never exceeded: every sign-up and cancellation locks the event's row
(SELECT … FOR UPDATE) and reads and writes its counters under that lock, so two
members asking for the last seat (or the last waiting-list place) at the same
moment are served one after the other. One place per member is the
(event, member) constraint's rule; attendance pays once per event because the
ledger's (member, reason, source) constraint says so.
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import City, NotificationKind, ReputationReason, User
from forum import caching
from forum.models import Board, Event, EventSignup, SignupStatus, ThreadType
from forum.permissions import (
    check_can_manage_event,
    organise_denied_reason,
    signup_denied_reason,
)
from forum.services.threads import thread_create

MAX_QUESTIONS = 5
QUESTION_MAX_LENGTH = 100
ANSWER_MAX_LENGTH = 200


def _check_in_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _clean_questions(questions) -> list[str]:
    cleaned = [" ".join(str(q).split())[:QUESTION_MAX_LENGTH] for q in questions or []]
    cleaned = [q for q in cleaned if q]
    if len(cleaned) > MAX_QUESTIONS:
        raise ValidationError(
            {"questions": [_("Ask at most %(n)d questions.") % {"n": MAX_QUESTIONS}]}
        )
    return cleaned


def _check_times(*, starts_at, ends_at, signup_deadline, now) -> None:
    errors = {}
    if starts_at <= now:
        errors["starts_at"] = [_("A meetup starts in the future.")]
    if ends_at <= starts_at:
        errors["ends_at"] = [_("A meetup ends after it starts.")]
    if signup_deadline > starts_at:
        errors["signup_deadline"] = [_("Sign-ups close before the meetup starts.")]
    if errors:
        raise ValidationError(errors)


def event_create(
    *,
    board: Board,
    organiser: User,
    title: str,
    body: str,
    city: City,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    capacity: int,
    signup_deadline: datetime,
    waitlist_capacity: int = 0,
    questions: list[str] | None = None,
    ip: str | None = None,
) -> Event:
    """Announce a meetup: its thread (type "meetup") and its event, in one transaction.
    `ip`: the organiser's address (config.http.client_ip), for the opening post's region
    only (never stored)."""
    denied = organise_denied_reason(organiser)
    if denied:
        raise PermissionDenied(denied)
    _check_times(
        starts_at=starts_at, ends_at=ends_at, signup_deadline=signup_deadline, now=timezone.now()
    )
    place = " ".join((place or "").split())
    if not place:
        raise ValidationError({"place": [_("Say where the meetup is.")]})
    if capacity < 1:
        raise ValidationError({"capacity": [_("A meetup has at least one seat.")]})
    cleaned_questions = _clean_questions(questions)
    with transaction.atomic():
        thread = thread_create(
            board=board,
            author=organiser,
            title=title,
            body=body,
            thread_type=ThreadType.EVENT,
            as_event=True,
            ip=ip,
        )
        return Event.objects.create(
            thread=thread,
            city=city,
            organiser=organiser,
            organiser_name=organiser.username,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place[:200],
            capacity=capacity,
            waitlist_capacity=max(0, waitlist_capacity),
            signup_deadline=signup_deadline,
            questions=cleaned_questions,
            check_in_code=_check_in_code(),
        )


def _locked(event_id: int) -> Event:
    try:
        return Event.objects.select_for_update().select_related("thread").get(pk=event_id)
    except Event.DoesNotExist:
        raise ValidationError(_("No such meetup.")) from None


def event_signup(*, event_id: int, user: User, answers: list[str] | None = None) -> EventSignup:
    """A seat if one is free, else a place on the waiting list, else a refusal."""
    with transaction.atomic():
        event = _locked(event_id)
        denied = signup_denied_reason(user, event)
        if denied:
            raise PermissionDenied(denied)
        answers = [" ".join(str(a).split())[:ANSWER_MAX_LENGTH] for a in answers or []]
        if len(answers) != len(event.questions) or not all(answers):
            raise ValidationError({"answers": [_("Answer every question.")]})
        if event.seats_taken < event.capacity:
            status, counter = SignupStatus.CONFIRMED, "seats_taken"
        elif event.waiting_count < event.waitlist_capacity:
            status, counter = SignupStatus.WAITING, "waiting_count"
        else:
            raise ValidationError(_("This meetup is full, and so is its waiting list."))
        try:
            with transaction.atomic():
                signup = EventSignup.objects.create(
                    event=event, user=user, user_name=user.username, status=status, answers=answers
                )
        except IntegrityError:
            raise ValidationError(_("You have signed up for this meetup already.")) from None
        Event.objects.filter(pk=event.pk).update(**{counter: F(counter) + 1})
        caching.bump_on_commit(caching.thread_scope(event.thread_id))
    return signup


def event_cancel_signup(*, event_id: int, user: User) -> EventSignup | None:
    """Give up a seat (the first on the waiting list takes it, and is told) or a place on
    the waiting list. Returns the signup that moved up, if any."""
    with transaction.atomic():
        event = _locked(event_id)
        signup = EventSignup.objects.filter(event=event, user=user).first()
        if signup is None:
            raise ValidationError(_("You have not signed up for this meetup."))
        if signup.checked_in_at is not None:
            raise ValidationError(_("You have checked in already."))
        signup.delete()
        caching.bump_on_commit(caching.thread_scope(event.thread_id))
        if signup.status == SignupStatus.WAITING:
            Event.objects.filter(pk=event.pk, waiting_count__gt=0).update(
                waiting_count=F("waiting_count") - 1
            )
            return None
        first = (
            EventSignup.objects.filter(event=event, status=SignupStatus.WAITING)
            .select_related("user")
            .order_by("id")
            .first()
        )
        if first is None or event.starts_at <= timezone.now():
            Event.objects.filter(pk=event.pk, seats_taken__gt=0).update(
                seats_taken=F("seats_taken") - 1
            )
            return None
        EventSignup.objects.filter(pk=first.pk).update(status=SignupStatus.CONFIRMED)
        Event.objects.filter(pk=event.pk, waiting_count__gt=0).update(
            waiting_count=F("waiting_count") - 1
        )
        first.status = SignupStatus.CONFIRMED
        account_services.notification_create(
            recipient=first.user,
            kind=NotificationKind.MEETUP,
            target_url=event.thread.get_absolute_url(),
            title_key="forum.meetup_seat",
            title_params={"title": event.thread.title, "starts": event.starts_at.isoformat()},
        )
    return first


def event_check_in(*, event_id: int, user: User, code: str, now: datetime | None = None) -> bool:
    """Check in with the code the organiser shows; True the first time, False after.
    Valid only while the meetup runs, and only for members with a seat."""
    now = now or timezone.now()
    event = Event.objects.select_related("thread").filter(pk=event_id).first()
    if event is None:
        raise ValidationError(_("No such meetup."))
    if event.is_cancelled or not (event.starts_at <= now <= event.ends_at):
        raise ValidationError({"code": [_("Check-in is open only while the meetup runs.")]})
    if not secrets.compare_digest((code or "").strip(), event.check_in_code):
        raise ValidationError({"code": [_("That is not this meetup's check-in code.")]})
    with transaction.atomic():
        marked = EventSignup.objects.filter(
            event=event, user=user, status=SignupStatus.CONFIRMED, checked_in_at__isnull=True
        ).update(checked_in_at=now)
        if not marked:
            if not EventSignup.objects.filter(
                event=event, user=user, status=SignupStatus.CONFIRMED
            ).exists():
                raise ValidationError({"code": [_("Only members with a seat can check in.")]})
            return False
        account_services.reputation_grant(
            user_id=user.pk,
            reason=ReputationReason.MEETUP_ATTENDED,
            source=f"event:{event.pk}",
            title=event.thread.title,
            url=event.thread.get_absolute_url(),
            at=now,
        )
    return True


def event_new_check_in_code(*, event_id: int, actor: User) -> Event:
    """A fresh code (the old one was photographed and shared, say)."""
    event = Event.objects.select_related("thread__board").get(pk=event_id)
    check_can_manage_event(actor, event)
    event.check_in_code = _check_in_code()
    event.save(update_fields=["check_in_code"])
    return event


def meetup_reminders_send(*, now: datetime | None = None) -> int:
    """Remind every member with a seat at a meetup starting within the next
    MEETUP_REMINDER_HOURS: one fan-out per meetup over a subquery of its seats, each
    row marked reminded in the same transaction, so a second run sends nothing."""
    now = now or timezone.now()
    until = now + timedelta(hours=settings.POPCORN["MEETUP_REMINDER_HOURS"])
    due = EventSignup.objects.filter(
        status=SignupStatus.CONFIRMED,
        reminded_at__isnull=True,
        event__is_cancelled=False,
        event__starts_at__gt=now,
        event__starts_at__lte=until,
    )
    sent = 0
    events = Event.objects.filter(pk__in=due.values("event_id")).select_related("thread")
    for event in events:  # the few meetups of one day, not the members
        with transaction.atomic():
            ids = list(
                due.filter(event=event).select_for_update().values_list("user_id", flat=True)
            )
            if not ids:
                continue
            sent += account_services.notification_fan_out(
                recipients=ids,
                kind=NotificationKind.MEETUP,
                target_url=event.thread.get_absolute_url(),
                title_key="forum.meetup_reminder",
                title_params={
                    "title": event.thread.title,
                    "starts": event.starts_at.isoformat(),
                    "place": event.place,
                },
                group_key=f"meetup-reminder:{event.pk}",
            )
            due.filter(event=event, user_id__in=ids).update(reminded_at=now)
    return sent


def event_sync_counters(*, event_id: int) -> Event:
    """The repair path: recount seats and the waiting list from the sign-ups."""
    with transaction.atomic():
        event = _locked(event_id)
        counts = EventSignup.objects.filter(event=event).aggregate(
            seats=Count("id", filter=Q(status=SignupStatus.CONFIRMED)),
            waiting=Count("id", filter=Q(status=SignupStatus.WAITING)),
        )
        Event.objects.filter(pk=event.pk).update(
            seats_taken=counts["seats"], waiting_count=counts["waiting"]
        )
        event.seats_taken, event.waiting_count = counts["seats"], counts["waiting"]
    return event
