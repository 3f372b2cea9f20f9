"""Closing a thread's poll over the API (tag "polls"): its author, or a board moderator,
whose close is audited (moderation.services.poll_close)."""

from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated

from config.api_schema import api_doc
from config.api_views import ApiView
from config.http import client_ip
from forum.api.polls import PollOut, poll_response, poll_thread
from moderation import services


class PollCloseIn(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PollClose(ApiView):
    permission_classes = [IsAuthenticated]

    @api_doc(
        tag="polls",
        summary="Close a thread's poll now",
        permission="The thread's author and the board's moderators (audited for moderators).",
        request=PollCloseIn,
        responses={200: PollOut},
        errors=(400, 404),
        description="Closing a closed poll changes nothing. No votes are taken after.",
    )
    def post(self, request, thread_id):
        thread, poll = poll_thread(request, thread_id)
        data = PollCloseIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.poll_close(
            poll=poll,
            thread=thread,
            actor=request.user,
            reason=data.validated_data["reason"],
            ip=client_ip(request),
        )
        return poll_response(request, thread)
