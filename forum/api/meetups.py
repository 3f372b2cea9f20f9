"""City meetups over the API (tag "meetups"): upcoming by city, one meetup, organising,
signing up and cancelling, checking in, the organiser's sign-up list.

The same services as the pages: seats under the event row's lock, refusals as the
services raise them (400 with field messages, 403 with the pages' reason).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.models import City
from config.api_schema import api_doc
from config.api_views import ApiListView, ApiView
from config.http import client_ip
from config.ids import MAX_ID
from forum import permissions, selectors, services
from forum.models import Board, Event, EventSignup, SignupStatus
from forum.services.meetups import ANSWER_MAX_LENGTH, MAX_QUESTIONS, QUESTION_MAX_LENGTH


class CityRef(serializers.ModelSerializer):
    class Meta:
        model = City
        fields = ["id", "slug", "name"]


class EventOut(serializers.ModelSerializer):
    thread_id = serializers.IntegerField()
    title = serializers.CharField(source="thread.title")
    url = serializers.SerializerMethodField()
    city = CityRef()
    organiser = serializers.CharField(source="organiser_name")
    questions = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Event
        fields = [
            "id",
            "thread_id",
            "title",
            "url",
            "city",
            "organiser",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "seats_taken",
            "waitlist_capacity",
            "waiting_count",
            "signup_deadline",
            "questions",
            "is_cancelled",
        ]

    def get_url(self, event) -> str:
        request = self.context.get("request")
        path = event.thread.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class MySignupOut(serializers.Serializer):
    status = serializers.ChoiceField(choices=SignupStatus.choices)
    waiting_position = serializers.IntegerField(allow_null=True)
    checked_in_at = serializers.DateTimeField(allow_null=True)
    answers = serializers.ListField(child=serializers.CharField())


class EventDetailOut(EventOut):
    my_signup = serializers.SerializerMethodField()
    signup_denied = serializers.SerializerMethodField()
    check_in_code = serializers.SerializerMethodField()

    class Meta(EventOut.Meta):
        fields = [*EventOut.Meta.fields, "my_signup", "signup_denied", "check_in_code"]

    def get_my_signup(self, event) -> MySignupOut(allow_null=True):
        signup = self.context.get("signup")
        if signup is None:
            return None
        return MySignupOut(
            {
                "status": signup.status,
                "waiting_position": selectors.waiting_position(event, signup),
                "checked_in_at": signup.checked_in_at,
                "answers": signup.answers,
            }
        ).data

    def get_signup_denied(self, event) -> str | None:
        return self.context.get("signup_denied")

    def get_check_in_code(self, event) -> str | None:
        """Only for the organiser (and the board's moderators, staff)."""
        return event.check_in_code if self.context.get("manager") else None


class EventIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=20_000)
    city_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    capacity = serializers.IntegerField(min_value=1, max_value=100_000)
    waitlist_capacity = serializers.IntegerField(min_value=0, max_value=100_000, default=0)
    signup_deadline = serializers.DateTimeField()
    questions = serializers.ListField(
        child=serializers.CharField(max_length=QUESTION_MAX_LENGTH),
        max_length=MAX_QUESTIONS,
        default=list,
    )


class SignupIn(serializers.Serializer):
    answers = serializers.ListField(
        child=serializers.CharField(max_length=ANSWER_MAX_LENGTH),
        max_length=MAX_QUESTIONS,
        default=list,
    )


class SignupOut(serializers.ModelSerializer):
    username = serializers.CharField(source="user_name")
    status = serializers.ChoiceField(choices=SignupStatus.choices)

    class Meta:
        model = EventSignup
        fields = ["id", "username", "status", "answers", "created_at", "checked_in_at"]


class CheckInIn(serializers.Serializer):
    code = serializers.CharField(max_length=12)


class MeetupCheckInOut(serializers.Serializer):
    checked_in = serializers.BooleanField(help_text="False: checked in already (nothing changed).")


class MeetupsQuery(serializers.Serializer):
    city = serializers.SlugField(required=False, help_text="A city's slug (GET /cities/).")


def _event(request, event_id: int) -> Event:
    """A meetup in a thread the caller may read: 403 for a board they cannot see, else 404."""
    event = Event.objects.select_related("city").filter(pk=event_id).first()
    if event is None:
        raise Http404
    event.thread = selectors.thread_for_viewer(request.user, event.thread_id)
    return event


def _detail(request, event: Event) -> Response:
    signup = selectors.signup_of(event, request.user)
    context = {
        "request": request,
        "signup": signup,
        "signup_denied": permissions.signup_denied_reason(request.user, event),
        "manager": permissions.can_manage_event(request.user, event),
    }
    return Response(EventDetailOut(event, context=context).data)


class MeetupList(ApiListView):
    serializer_class = EventOut
    ordering = ("starts_at", "id")

    def get_queryset(self):
        query = MeetupsQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        city = None
        if query.validated_data.get("city"):
            city = get_object_or_404(City, slug=query.validated_data["city"])
        return selectors.upcoming_events(self.request.user, city=city)

    @api_doc(
        tag="meetups",
        summary="Upcoming meetups",
        permission="Anyone (meetups in boards the caller may read).",
        responses={200: EventOut(many=True)},
        errors=(400, 404),
        parameters=[MeetupsQuery],
        description="Meetups not yet over, soonest first; `city` filters by a city's slug.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MeetupCreate(ApiView):
    permission_classes = [IsAuthenticated]

    @api_doc(
        tag="meetups",
        summary="Organise a meetup in a board",
        permission=(
            "Staff, and members from the MEETUP_ORGANISER_MIN_LEVEL level up, who may start "
            "threads in the board."
        ),
        request=EventIn,
        responses={201: EventDetailOut},
        errors=(400, 404),
        description="Starts the meetup's thread (type `event`) with its event, in one step.",
    )
    def post(self, request, board_slug):
        board = get_object_or_404(Board, slug=board_slug)
        permissions.check_can_view_board(request.user, board)
        data = EventIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        city = City.objects.filter(pk=fields.pop("city_id")).first()
        if city is None:
            raise serializers.ValidationError({"city_id": [_("Choose one of the cities listed.")]})
        event = services.event_create(
            board=board, organiser=request.user, city=city, ip=client_ip(request), **fields
        )
        response = _detail(request, event)
        response.status_code = status.HTTP_201_CREATED
        return response


class MeetupDetail(ApiView):
    @api_doc(
        tag="meetups",
        summary="A meetup",
        permission="Anyone who may read its thread; the check-in code only for its organiser.",
        responses={200: EventDetailOut},
        errors=(403, 404),
        description="With my place (a seat or where I stand on the waiting list), if any.",
    )
    def get(self, request, event_id):
        return _detail(request, _event(request, event_id))


class MeetupSignup(ApiView):
    permission_classes = [IsAuthenticated]

    @api_doc(
        tag="meetups",
        summary="Sign up for a meetup",
        permission="Signed-in members, before the sign-up deadline.",
        request=SignupIn,
        responses={201: EventDetailOut},
        errors=(400, 404),
        description=(
            "A seat if one is free, else a place on the waiting list; a 400 when both are "
            "full, when already signed up, or when a question is left unanswered."
        ),
    )
    def post(self, request, event_id):
        event = _event(request, event_id)
        data = SignupIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.event_signup(
            event_id=event.pk, user=request.user, answers=data.validated_data["answers"]
        )
        event.refresh_from_db(fields=["seats_taken", "waiting_count"])
        response = _detail(request, event)
        response.status_code = status.HTTP_201_CREATED
        return response

    @api_doc(
        tag="meetups",
        summary="Cancel my sign-up",
        permission="Signed-in members (their own sign-up).",
        responses={200: EventDetailOut},
        errors=(400, 404),
        description="A freed seat goes to the first on the waiting list, who is notified.",
    )
    def delete(self, request, event_id):
        event = _event(request, event_id)
        services.event_cancel_signup(event_id=event.pk, user=request.user)
        event.refresh_from_db(fields=["seats_taken", "waiting_count"])
        return _detail(request, event)


class MeetupCheckIn(ApiView):
    permission_classes = [IsAuthenticated]

    @api_doc(
        tag="meetups",
        summary="Check in at the venue",
        permission="Signed-in members with a seat, while the meetup runs.",
        request=CheckInIn,
        responses={200: MeetupCheckInOut},
        errors=(400, 404),
        description="With the code the organiser shows; attendance earns reputation once.",
    )
    def post(self, request, event_id):
        event = _event(request, event_id)
        data = CheckInIn(data=request.data)
        data.is_valid(raise_exception=True)
        first = services.event_check_in(
            event_id=event.pk, user=request.user, code=data.validated_data["code"]
        )
        return Response(MeetupCheckInOut({"checked_in": first}).data)


class MeetupSignupList(ApiListView):
    permission_classes = [IsAuthenticated]
    serializer_class = SignupOut
    ordering = ("id",)

    def get_queryset(self):
        event = _event(self.request, self.kwargs["event_id"])
        permissions.check_can_manage_event(self.request.user, event)
        return EventSignup.objects.filter(event=event)

    @api_doc(
        tag="meetups",
        summary="A meetup's sign-ups",
        permission="Its organiser, the board's moderators and staff.",
        responses={200: SignupOut(many=True)},
        errors=(400, 403, 404),
        description="Seats and the waiting list in sign-up order, with the answers.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
