"""A thread's poll over the API (tag "polls"): read it, add or change it (its author,
before any vote), vote or change my vote, take it back, a public poll's voters.
Closing is moderation.api.polls (a moderator's close is audited).

The same services and rules as the pages: counts are null while the caller may not see
the results, and an anonymous poll's voters are never listed.
"""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from config.api_schema import api_doc
from config.api_views import ApiListView, ApiView
from config.ids import MAX_ID
from forum import permissions, selectors, services
from forum.models import Poll, PollResults, PollVote, Thread
from forum.services.polls import MAX_OPTIONS, OPTION_MAX_LENGTH, QUESTION_MAX_LENGTH

TAG = "polls"


class PollOptionOut(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    text = serializers.CharField()
    vote_count = serializers.IntegerField(
        allow_null=True, help_text="Null while the caller may not see the results."
    )
    percent = serializers.IntegerField(allow_null=True)


class PollOut(serializers.Serializer):
    thread_id = serializers.IntegerField()
    question = serializers.CharField()
    max_choices = serializers.IntegerField(help_text="1: single choice.")
    is_multiple = serializers.BooleanField()
    closes_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    is_closed = serializers.BooleanField()
    results = serializers.ChoiceField(choices=PollResults.choices)
    is_public = serializers.BooleanField(help_text="Public: GET …/poll/voters/ lists voters.")
    voter_count = serializers.IntegerField()
    results_visible = serializers.BooleanField()
    options = PollOptionOut(many=True)
    my_choices = serializers.ListField(
        child=serializers.IntegerField(), help_text="The option ids I chose (empty: no vote)."
    )
    vote_denied = serializers.CharField(
        allow_null=True, help_text="Why the caller may not vote now, or null."
    )
    can_close = serializers.BooleanField()
    can_edit = serializers.BooleanField()


class PollIn(serializers.Serializer):
    question = serializers.CharField(max_length=QUESTION_MAX_LENGTH)
    options = serializers.ListField(
        child=serializers.CharField(max_length=OPTION_MAX_LENGTH),
        min_length=2,
        max_length=MAX_OPTIONS,
    )
    max_choices = serializers.IntegerField(min_value=1, max_value=MAX_OPTIONS, default=1)
    closes_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    results = serializers.ChoiceField(choices=PollResults.choices, default=PollResults.ALWAYS)
    is_public = serializers.BooleanField(default=False)


class PollVoteIn(serializers.Serializer):
    option_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=MAX_OPTIONS,
    )


class PollVoterOut(serializers.ModelSerializer):
    username = serializers.CharField(source="user_name")
    voted_at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = PollVote
        fields = ["id", "username", "voted_at"]


class PollVotersQuery(serializers.Serializer):
    option = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="An option id of this poll."
    )


def poll_thread(request, thread_id: int) -> tuple[Thread, Poll]:
    """A thread the caller may read and its poll: 403 for a board they cannot see, else 404."""
    thread = selectors.thread_for_viewer(request.user, thread_id)
    poll = Poll.objects.filter(thread=thread).first()
    if poll is None:
        raise Http404
    return thread, poll


def poll_body(request, thread: Thread) -> dict:
    """The poll as this caller sees it (from the shared snapshot, plus my choices)."""
    snap = selectors.poll_snapshot(thread.pk)
    if snap is None:
        raise Http404
    user = request.user
    mine = selectors.my_choices(snap.id, user)
    now = timezone.now()
    closed = snap.is_closed(now)
    visible = permissions.results_visible(snap, voted=bool(mine), now=now)
    return {
        "thread_id": thread.pk,
        "question": snap.question,
        "max_choices": snap.max_choices,
        "is_multiple": snap.is_multiple,
        "closes_at": snap.closes_at,
        "closed_at": snap.closed_at,
        "is_closed": closed,
        "results": snap.results,
        "is_public": snap.is_public,
        "voter_count": snap.voter_count,
        "results_visible": visible,
        "options": [
            {
                "id": o.id,
                "position": o.position,
                "text": o.text,
                "vote_count": o.vote_count if visible else None,
                "percent": o.percent if visible else None,
            }
            for o in snap.options
        ],
        "my_choices": sorted(mine),
        "vote_denied": permissions.poll_vote_denied_reason(user, thread, snap, now=now),
        "can_close": permissions.can_close_poll(user, thread, snap),
        "can_edit": bool(
            user.is_authenticated
            and thread.author_id == user.pk
            and snap.voter_count == 0
            and not closed
        ),
    }


def poll_response(request, thread: Thread, *, code: int = status.HTTP_200_OK) -> Response:
    return Response(PollOut(poll_body(request, thread)).data, status=code)


def _spec(request):
    data = PollIn(data=request.data)
    data.is_valid(raise_exception=True)
    return services.poll_clean(**data.validated_data)


class ThreadPollView(ApiView):
    @api_doc(
        tag=TAG,
        summary="A thread's poll",
        permission="Anyone who may read the thread.",
        responses={200: PollOut},
        errors=(403, 404),
        description=(
            "Counts are null until the caller may see them (`results`: always, after "
            "voting, or once closed); `my_choices` are the caller's."
        ),
    )
    def get(self, request, thread_id):
        thread = selectors.thread_for_viewer(request.user, thread_id)
        if not thread.has_poll:  # the row says so: no query for the poll
            raise Http404
        return poll_response(request, thread)

    @api_doc(
        tag=TAG,
        summary="Add a poll to my thread",
        permission="The thread's author, while allowed to post in its board; once per thread.",
        request=PollIn,
        responses={201: PollOut},
        errors=(400, 404),
        description="A 400 with field messages for bad settings, or when it has a poll already.",
    )
    def post(self, request, thread_id):
        thread = selectors.thread_for_viewer(request.user, thread_id)
        services.poll_create(thread=thread, actor=request.user, spec=_spec(request))
        return poll_response(request, thread, code=status.HTTP_201_CREATED)

    @api_doc(
        tag=TAG,
        summary="Change my thread's poll",
        permission="The thread's author, before the first vote.",
        request=PollIn,
        responses={200: PollOut},
        errors=(400, 404),
        description="Replaces the question, options and settings; a 400 once anyone voted.",
    )
    def put(self, request, thread_id):
        thread, poll = poll_thread(request, thread_id)
        services.poll_edit(poll=poll, thread=thread, actor=request.user, spec=_spec(request))
        return poll_response(request, thread)


class PollVoteView(ApiView):
    permission_classes = [IsAuthenticated]

    @api_doc(
        tag=TAG,
        summary="Vote, or change my vote",
        permission=(
            "Signed-in members who may read the thread, not silenced or suspended, while "
            "the poll is open."
        ),
        request=PollVoteIn,
        responses={200: PollOut},
        errors=(400, 404),
        description=(
            "`option_ids` replace my earlier choices; at most `max_choices` of this poll's "
            "options (a 400 with the field's message otherwise)."
        ),
    )
    def post(self, request, thread_id):
        thread, poll = poll_thread(request, thread_id)
        data = PollVoteIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.poll_vote(
            poll=poll,
            thread=thread,
            user=request.user,
            option_ids=data.validated_data["option_ids"],
        )
        return poll_response(request, thread)

    @api_doc(
        tag=TAG,
        summary="Take my vote back",
        permission="Signed-in members who may vote in the poll, while it is open.",
        responses={200: PollOut},
        errors=(404,),
        description="Nothing to take back is not an error.",
    )
    def delete(self, request, thread_id):
        thread, poll = poll_thread(request, thread_id)
        services.poll_unvote(poll=poll, thread=thread, user=request.user)
        return poll_response(request, thread)


class PollVoterList(ApiListView):
    serializer_class = PollVoterOut
    ordering = ("id",)

    def get_queryset(self):
        thread, _poll = poll_thread(self.request, self.kwargs["thread_id"])
        query = PollVotersQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        body = poll_body(self.request, thread)
        if not body["is_public"]:
            raise PermissionDenied(_("This poll's votes are anonymous."))
        if not body["results_visible"]:
            raise PermissionDenied(_("The results of this poll are not shown yet."))
        option = query.validated_data["option"]
        if option not in {o["id"] for o in body["options"]}:
            raise Http404
        return PollVote.objects.filter(option_id=option).only("id", "user_name", "created_at")

    @api_doc(
        tag=TAG,
        summary="Who chose an option of a public poll",
        permission=(
            "Anyone who may read the thread and see the results; never for anonymous polls."
        ),
        parameters=[PollVotersQuery],
        responses={200: PollVoterOut(many=True)},
        errors=(400, 403, 404),
        description="Oldest vote first, paged by cursor.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
