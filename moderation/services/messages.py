"""The moderators' side of private messages: reports of a message, reading exactly the
reported one (audited each time), closing the report, and moderator warnings sent as a
message (audited). Conversations are otherwise closed to moderators."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from config.errors import Conflict
from forum import services as forum_services
from forum.models import Conversation, ConversationParticipant, Message
from forum.permissions import can_send_warning
from moderation.models import AuditLog, MessageReport, ReportReason, ReportStatus
from moderation.permissions import (
    check_can_read_message_reports,
    message_report_denied_reason,
)
from moderation.services.audit import audit_record, required_reason


class AlreadyReportedMessage(ValidationError, Conflict):
    """A second report of one message by one member: a form error, an API 409."""


def message_report_create(
    *, message: Message, reporter: User, reason: str, text: str = ""
) -> MessageReport:
    """A participant reports a message of someone else's: it joins the moderators' queue."""
    participant = ConversationParticipant.objects.filter(
        conversation_id=message.conversation_id, user=reporter, left_at__isnull=True
    ).exists()
    denied = message_report_denied_reason(reporter, message, participant=participant)
    if denied:
        raise PermissionDenied(denied)
    text = " ".join((text or "").split())[:500]
    if reason not in ReportReason.values:
        raise ValidationError({"reason": [_("Choose why you are reporting it.")]})
    if reason == ReportReason.OTHER and not text:
        raise ValidationError({"text": [_("Tell the moderators what is wrong.")]})
    try:
        with transaction.atomic():
            return MessageReport.objects.create(
                message=message,
                reporter=reporter,
                reporter_name=reporter.username,
                reason=reason,
                text=text,
            )
    except IntegrityError:
        raise AlreadyReportedMessage(_("You have already reported this message.")) from None


def _label(message: Message) -> str:
    return f"{message.author_name} · {message.created_at:%Y-%m-%d}"[:200]


@transaction.atomic
def message_report_read(*, report: MessageReport, actor: User, ip: str | None = None) -> Message:
    """The reported message, for a global moderator or staff: one audit row per reading."""
    check_can_read_message_reports(actor)
    message = Message.objects.get(pk=report.message_id)
    audit_record(
        actor=actor,
        action=AuditLog.Action.MESSAGE_READ,
        target_type=AuditLog.TargetType.MESSAGE,
        target_id=message.pk,
        target_label=_label(message),
        subject_id=message.author_id,
        after={"report": report.pk},
        ip=ip,
    )
    return message


@transaction.atomic
def message_report_close(
    *, report: MessageReport, actor: User, upheld: bool, reason: str, ip: str | None = None
) -> int:
    """Close every open report of the report's message, upheld or dismissed; audited."""
    check_can_read_message_reports(actor)
    reason = required_reason(reason)
    message = Message.objects.get(pk=report.message_id)
    status = ReportStatus.UPHELD if upheld else ReportStatus.DISMISSED
    closed = MessageReport.objects.filter(message=message, status=ReportStatus.OPEN).update(
        status=status, resolved_by_name=actor.username, resolved_at=timezone.now()
    )
    if closed:
        audit_record(
            actor=actor,
            action=AuditLog.Action.MESSAGE_REPORT_CLOSE,
            target_type=AuditLog.TargetType.MESSAGE,
            target_id=message.pk,
            target_label=_label(message),
            subject_id=message.author_id,
            reason=reason,
            after={"resolution": status, "reports": closed},
            ip=ip,
        )
    return closed


@transaction.atomic
def message_warning_send(
    *, actor: User, member: User, subject: str, body: str, ip: str | None = None
) -> Conversation:
    """A moderator warning as a private message: through blocks, audited."""
    if not can_send_warning(actor):
        raise PermissionDenied(_("Only moderators and staff send moderator warnings."))
    conversation = forum_services.conversation_start(
        author=actor, recipients=[member.username], subject=subject, body=body, is_warning=True
    )
    audit_record(
        actor=actor,
        action=AuditLog.Action.MESSAGE_WARN,
        target_type=AuditLog.TargetType.USER,
        target_id=member.pk,
        target_label=member.username,
        reason=subject,
        after={"conversation": conversation.pk},
        ip=ip,
    )
    return conversation
