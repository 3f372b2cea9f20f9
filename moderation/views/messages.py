"""Reporting a private message (participants), the reported-messages queue, reading the
reported message (and only it: audited on every opening), and moderator warnings sent
as a message."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from config.http import client_ip, refusal_page
from forum.forms import apply_errors
from forum.models import ConversationParticipant, Message
from forum.permissions import can_send_warning
from moderation import selectors, services
from moderation.forms.reports import MessageReportCloseForm, ReportForm, WarningMessageForm
from moderation.models import MessageReport
from moderation.permissions import (
    check_can_read_message_reports,
    message_report_denied_reason,
)


def _message_for_participant(user, message_id) -> Message:
    """The message, for a participant of its conversation only; a 404 for anyone else."""
    in_it = ConversationParticipant.objects.filter(user_id=user.pk, left_at__isnull=True)
    return get_object_or_404(
        Message.objects.filter(conversation_id__in=in_it.values("conversation_id")),
        pk=message_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def message_report(request, message_id):
    message = _message_for_participant(request.user, message_id)
    denied = message_report_denied_reason(request.user, message, participant=True)
    if denied:
        return refusal_page(request, denied)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.message_report_create(
                    message=message, reporter=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                flash.success(request, _("Thanks: the moderators will look at it."))
                return redirect("forum:conversation", pk=message.conversation_id)
    return render(
        request,
        "moderation/messages/report.html",
        {"form": form, "message": message},
        status=status,
    )


@login_required
@require_GET
def message_report_queue(request):
    check_can_read_message_reports(request.user)
    rows, after = selectors.message_report_page(after=request.GET.get("after"))
    return render(request, "moderation/messages/queue.html", {"rows": rows, "after": after})


@login_required
@require_http_methods(["GET", "POST"])
def message_report_detail(request, report_id):
    check_can_read_message_reports(request.user)
    report = get_object_or_404(MessageReport, pk=report_id)
    form = MessageReportCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closed = services.message_report_close(
                report=report,
                actor=request.user,
                upheld=form.cleaned_data["outcome"] == "uphold",
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if closed:
                flash.success(request, _("The reports are closed."))
            return redirect("moderation:message_reports")
    message = services.message_report_read(report=report, actor=request.user, ip=client_ip(request))
    return render(
        request,
        "moderation/messages/detail.html",
        {"report": report, "message": message, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def warning_message(request, username):
    if not can_send_warning(request.user):
        raise PermissionDenied(_("Only moderators and staff send moderator warnings."))
    member = get_object_or_404(User, username=username)
    form = WarningMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.message_warning_send(
                actor=request.user, member=member, ip=client_ip(request), **form.cleaned_data
            )
        except PermissionDenied as exc:
            return refusal_page(request, str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(conversation)
    return render(
        request,
        "moderation/messages/warn.html",
        {"form": form, "member": member},
        status=400 if form.is_bound else 200,
    )
