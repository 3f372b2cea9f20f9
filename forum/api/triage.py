"""The API of bug and feedback triage: "me too" / votes, the firmware team's triage
lists and similar threads, the pages' services and selectors (forum.views.triage)."""

from django.shortcuts import get_object_or_404
from rest_framework import permissions as drf_permissions
from rest_framework.response import Response

from accounts.models import Device
from config.api_schema import api_doc
from config.api_views import SEARCH_THROTTLES, ApiView
from forum import permissions, selectors, services
from forum.api import serializers as s
from forum.models import Thread, ThreadVote

TAG = "triage"
TRIAGE_TEAM = "Staff and moderators (forum.permissions.can_view_triage); 403 for others."


class ThreadVoteView(ApiView):
    permission_classes = [drf_permissions.IsAuthenticated]

    def _state(self, request, thread) -> Response:
        count = Thread.objects.filter(pk=thread.pk).values_list("vote_count", flat=True).get()
        voted = ThreadVote.objects.filter(thread=thread, user=request.user).exists()
        return Response({"voted": voted, "vote_count": count})

    @api_doc(
        tag=TAG,
        summary="Say “me too” on a bug report, or vote for feedback",
        permission=(
            "Members who are not suspended, on a bug report or feedback they may read, "
            "not their own, not closed as a duplicate. Twice keeps one."
        ),
        request=s.VoteIn,
        responses={200: s.VoteStateOut},
        errors=(400, 404),
        description="The device and firmware version are what the triage pages count.",
    )
    def post(self, request, thread_id):
        thread = selectors.thread_for_viewer(request.user, thread_id)
        data = s.VoteIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.thread_vote(thread=thread, user=request.user, **data.validated_data)
        return self._state(request, thread)

    @api_doc(
        tag=TAG,
        summary="Take a “me too” or vote back",
        permission="Members who are not suspended.",
        responses={200: s.VoteStateOut},
        errors=(404,),
    )
    def delete(self, request, thread_id):
        thread = selectors.thread_for_viewer(request.user, thread_id)
        services.thread_unvote(thread=thread, user=request.user)
        return self._state(request, thread)


class SimilarThreads(ApiView):
    throttle_classes = SEARCH_THROTTLES  # a full-text query per keystroke: search's limits

    @api_doc(
        tag=TAG,
        summary="Threads like a title being typed",
        permission="Anyone; only threads in boards the caller may read. Throttled as search.",
        parameters=[s.SimilarQuery],
        responses={200: s.SimilarThreadOut(many=True)},
        errors=(400, 429),
        description="Through the search index: threads sharing the title's words, best first.",
    )
    def get(self, request):
        query = s.SimilarQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        threads = selectors.similar_threads(request.user, query.validated_data["title"])
        return Response(s.SimilarThreadOut(threads, many=True).data)


class TriageDevices(ApiView):
    @api_doc(
        tag=TAG,
        summary="Devices by “me too” on their open bugs",
        permission=TRIAGE_TEAM,
        responses={200: s.TriageDeviceOut(many=True)},
        errors=(403,),
    )
    def get(self, request):
        permissions.check_can_view_triage(request.user)
        return Response(s.TriageDeviceOut(selectors.triage_devices(request.user), many=True).data)


class TriageDevice(ApiView):
    @api_doc(
        tag=TAG,
        summary="A device's triage: counts per firmware version, most-hit open bugs",
        permission=TRIAGE_TEAM,
        parameters=[s.TriageQuery],
        responses={200: s.TriageOut},
        errors=(400, 403, 404),
        description="With `firmware_version`, the bugs are ranked by “me too” on that version.",
    )
    def get(self, request, codename):
        permissions.check_can_view_triage(request.user)
        device = get_object_or_404(Device, codename=codename)
        query = s.TriageQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        version = query.validated_data.get("firmware_version", "")
        body = {
            "device": device,
            "versions": selectors.triage_versions(request.user, device),
            "bugs": selectors.triage_bugs(request.user, device, firmware_version=version),
        }
        return Response(s.TriageOut(body).data)
