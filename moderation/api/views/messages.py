"""Private messages on moderation's side: a participant reports a message (tag messages);
global moderators and staff read the reported-messages queue, read one reported message
(audited on every reading) and close its reports; moderators send a warning as a message."""

from django.shortcuts import get_object_or_404
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.models import User
from config.api_schema import api_doc
from config.http import client_ip
from forum.models import ConversationParticipant, Message
from moderation import selectors, services
from moderation.api.views._common import TAG, SignedInListView, SignedInView, valid
from moderation.models import MessageReport, ReportReason
from moderation.permissions import check_can_read_message_reports

GLOBAL = "Global moderators and staff (messages belong to no board)."


class MessageReportIn(serializers.Serializer):
    reason = serializers.ChoiceField(choices=ReportReason.choices)
    text = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class MessageReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    message_id = serializers.IntegerField()
    reporter = serializers.CharField(source="reporter_name")
    reason = serializers.CharField()
    text = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class ReportedMessageOut(serializers.Serializer):
    report = MessageReportOut()
    author = serializers.CharField(source="message.author_name")
    html = serializers.CharField(source="message.html")
    created_at = serializers.DateTimeField(source="message.created_at")


class MessageReportCloseIn(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["uphold", "dismiss"])
    reason = serializers.CharField(max_length=500)


class MessageReportCloseOut(serializers.Serializer):
    closed = serializers.IntegerField()


class WarningIn(serializers.Serializer):
    subject = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=100_000)


class WarningOut(serializers.Serializer):
    conversation_id = serializers.IntegerField(source="pk")


class MessageReportCreate(SignedInView):
    @api_doc(
        tag="messages",
        summary="Report a message to the moderators",
        permission=(
            "Participants of its conversation who are not suspended, on a message not "
            "their own; one report per message (anyone else: 404)."
        ),
        request=MessageReportIn,
        responses={201: MessageReportOut},
        errors=(400, 404, 409),
    )
    def post(self, request, message_id):
        in_it = ConversationParticipant.objects.filter(user=request.user, left_at__isnull=True)
        message = get_object_or_404(
            Message.objects.filter(conversation_id__in=in_it.values("conversation_id")),
            pk=message_id,
        )
        data = valid(MessageReportIn, request.data)
        report = services.message_report_create(message=message, reporter=request.user, **data)
        return Response(MessageReportOut(report).data, status=status.HTTP_201_CREATED)


class MessageReportQueue(SignedInListView):
    serializer_class = MessageReportOut
    ordering = ("created_at", "id")

    def get_queryset(self):
        check_can_read_message_reports(self.request.user)
        return selectors.open_message_reports()

    @api_doc(
        tag=TAG,
        summary="Open reports of private messages",
        permission=GLOBAL,
        responses={200: MessageReportOut(many=True)},
        errors=(400, 403),
        description="Oldest first, without the messages: reading one is audited.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ReportedMessage(SignedInView):
    @api_doc(
        tag=TAG,
        summary="Read the message of a report (audited)",
        permission=GLOBAL,
        responses={200: ReportedMessageOut},
        errors=(403, 404),
        description="This message only, never its conversation; each reading is logged.",
    )
    def get(self, request, report_id):
        check_can_read_message_reports(request.user)
        report = get_object_or_404(MessageReport, pk=report_id)
        message = services.message_report_read(
            report=report, actor=request.user, ip=client_ip(request)
        )
        return Response(ReportedMessageOut({"report": report, "message": message}).data)


class MessageReportClose(SignedInView):
    @api_doc(
        tag=TAG,
        summary="Close the reports of a message",
        permission=GLOBAL,
        request=MessageReportCloseIn,
        responses={200: MessageReportCloseOut},
        errors=(400, 404),
    )
    def post(self, request, report_id):
        check_can_read_message_reports(request.user)
        report = get_object_or_404(MessageReport, pk=report_id)
        data = valid(MessageReportCloseIn, request.data)
        closed = services.message_report_close(
            report=report,
            actor=request.user,
            upheld=data["outcome"] == "uphold",
            reason=data["reason"],
            ip=client_ip(request),
        )
        return Response({"closed": closed})


class WarningMessage(SignedInView):
    @api_doc(
        tag=TAG,
        summary="Send a member a moderator warning as a private message (audited)",
        permission="Moderators and staff; it reaches members who blocked the sender.",
        request=WarningIn,
        responses={201: WarningOut},
        errors=(400, 404),
    )
    def post(self, request, username):
        member = get_object_or_404(User, username=username)
        data = valid(WarningIn, request.data)
        conversation = services.message_warning_send(
            actor=request.user, member=member, ip=client_ip(request), **data
        )
        return Response(WarningOut(conversation).data, status=status.HTTP_201_CREATED)
