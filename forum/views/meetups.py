"""City meetups: the list by city and its calendars, organising one, signing up and
cancelling, checking in at the venue, and the organiser's page."""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors as account_selectors
from accounts.forms import CityForm
from accounts.models import City
from config.http import client_ip, errors_text, refusal_page
from forum import ical, permissions, selectors, services
from forum.forms import CheckInForm, MeetupForm, SignupForm
from forum.models import Board, Event
from forum.qr import qr_svg

from ._common import get_thread

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _cursor(value: str | None):
    """ "<unix microseconds>.<id>" of the last event shown, or None."""
    try:
        micros, pk = (value or "").split(".", 1)
        return _EPOCH + int(micros) * _MICROSECOND, int(pk)
    except (ValueError, OverflowError):
        return None


def meetup_list(request):
    cities = list(account_selectors.cities_listed())
    slug = request.GET.get("city", "")
    city = next((c for c in cities if c.slug == slug), None)
    if slug and city is None:
        raise Http404
    events = selectors.upcoming_events(request.user, city=city)
    after = _cursor(request.GET.get("after"))
    if after is not None:
        moment, pk = after
        events = events.filter(Q(starts_at__gt=moment) | Q(starts_at=moment, id__gt=pk))
    size = settings.POPCORN["MEETUPS_PER_PAGE"]
    rows = list(events[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    last = rows[-1] if more else None
    next_cursor = f"{(last.starts_at - _EPOCH) // _MICROSECOND}.{last.pk}" if last else ""
    return render(
        request,
        "forum/meetups/list.html",
        {
            "cities": cities,
            "city": city,
            "events": rows,
            "next_cursor": next_cursor,
            "city_form": CityForm(initial={"city": request.user.city_id})
            if request.user.is_authenticated
            else None,
            "meetup_boards": Board.objects.filter(default_thread_type="event"),
        },
    )


def meetup_calendar(request, slug):
    """Every upcoming meetup in one city as an iCalendar feed."""
    city = get_object_or_404(City, slug=slug)
    events = selectors.upcoming_events(request.user, city=city)[:200]
    site = settings.SITE_URL.rstrip("/")
    host = site.split("://", 1)[-1]
    body = ical.calendar(
        name=f"{settings.POPCORN['SITE_NAME']} · {city.name}",
        prodid=f"-//{settings.POPCORN['SITE_NAME']}//Meetups//ZH",
        events=[
            {
                "uid": f"meetup-{event.pk}@{host}",
                "stamp": event.created_at,
                "start": event.starts_at,
                "end": event.ends_at,
                "summary": event.thread.title,
                "location": event.place,
                "url": site + event.thread.get_absolute_url(),
                "description": _("Organised by %(name)s") % {"name": event.organiser_name},
            }
            for event in events
        ],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="meetups-{city.slug}.ics"'
    return response


@login_required
def meetup_create(request, slug):
    board = get_object_or_404(Board, slug=slug)
    permissions.check_can_view_board(request.user, board)
    denied = permissions.organise_denied_reason(request.user) or (
        permissions.start_thread_denied_reason(request.user, board)
    )
    if denied:
        return refusal_page(request, denied)
    form = MeetupForm(request.POST or None, initial={"city": request.user.city_id})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                event = services.event_create(
                    board=board, organiser=request.user, ip=client_ip(request), **form.cleaned_data
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            except PermissionDenied as exc:
                return refusal_page(request, str(exc))
            else:
                return redirect(event.thread)
    return render(request, "forum/meetups/form.html", {"board": board, "form": form}, status=status)


def _event(request, pk) -> Event:
    thread = get_thread(request, pk)
    event = selectors.event_of_thread(thread)
    if event is None:
        raise Http404
    event.thread = thread
    return event


def meetup_context(request, thread) -> dict:
    """The meetup box on its thread's page."""
    event = selectors.event_of_thread(thread)
    if event is None:
        return {}
    event.thread = thread
    signup = selectors.signup_of(event, request.user)
    now = timezone.now()
    return {
        "event": event,
        "signup": signup,
        "waiting_position": selectors.waiting_position(event, signup) if signup else None,
        "signup_denied": permissions.signup_denied_reason(request.user, event, now=now),
        "signup_form": SignupForm(questions=event.questions),
        "check_in_open": event.starts_at <= now <= event.ends_at,
        "check_in_form": CheckInForm(),
        "can_manage_event": permissions.can_manage_event(request.user, event),
    }


@login_required
@require_POST
def meetup_signup(request, pk):
    event = _event(request, pk)
    form = SignupForm(request.POST, questions=event.questions)
    if not form.is_valid():
        messages.error(request, errors_text(form.errors))
        return redirect(event.thread)
    try:
        signup = services.event_signup(event_id=event.pk, user=request.user, answers=form.answers())
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, errors_text(exc) if isinstance(exc, ValidationError) else str(exc))
        return redirect(event.thread)
    if signup.status == "confirmed":
        messages.success(request, _("You have a seat. See you there!"))
    else:
        messages.info(request, _("The seats are taken: you are on the waiting list."))
    return redirect(event.thread)


@login_required
@require_POST
def meetup_cancel(request, pk):
    event = _event(request, pk)
    try:
        services.event_cancel_signup(event_id=event.pk, user=request.user)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, _("Your sign-up has been cancelled."))
    return redirect(event.thread)


@login_required
def meetup_check_in(request, pk):
    """The QR code leads here with the code filled in; the member confirms with a tap."""
    event = _event(request, pk)
    form = CheckInForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                first = services.event_check_in(
                    event_id=event.pk, user=request.user, code=form.cleaned_data["code"]
                )
            except ValidationError as exc:
                form.add_error("code", exc.message_dict.get("code", exc.messages))
            else:
                messages.success(
                    request,
                    _("You are checked in. Enjoy the meetup!")
                    if first
                    else _("You were checked in already."),
                )
                return redirect(event.thread)
    return render(
        request, "forum/meetups/check_in.html", {"event": event, "form": form}, status=status
    )


@login_required
def meetup_manage(request, pk):
    """The organiser's page: the list, the check-in code (large, and as a QR code)."""
    event = _event(request, pk)
    permissions.check_can_manage_event(request.user, event)
    if request.method == "POST" and request.POST.get("action") == "new_code":
        services.event_new_check_in_code(event_id=event.pk, actor=request.user)
        return redirect("forum:meetup_manage", pk=event.thread_id)
    link = request.build_absolute_uri(
        reverse("forum:meetup_check_in", kwargs={"pk": event.thread_id})
        + f"?code={event.check_in_code}"
    )
    return render(
        request,
        "forum/meetups/manage.html",
        {
            "event": event,
            "signups": list(selectors.event_signups(event)),
            "check_in_link": link,
            "qr": qr_svg(link),
        },
    )
