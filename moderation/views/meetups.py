"""The organiser's export of a meetup's sign-ups, and staff's medals by hand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import selectors as account_selectors
from accounts.models import Medal, User
from config.http import client_ip, errors_text
from forum import selectors as forum_selectors
from moderation import permissions, services


@login_required
@require_POST
def meetup_export(request, pk):
    thread = forum_selectors.thread_for_viewer(request.user, pk)
    event = forum_selectors.event_of_thread(thread)
    if event is None:
        raise Http404
    event.thread = thread
    lines = services.meetup_signups_export(event=event, actor=request.user, ip=client_ip(request))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meetup-{event.pk}-signups.csv"'
    return response


@login_required
def member_medals(request, username):
    if not permissions.can_award_medals(request.user):
        raise PermissionDenied
    member = get_object_or_404(User, username=username)
    if request.method == "POST":
        medal = get_object_or_404(Medal, pk=_id(request.POST.get("medal")))
        verb = (
            services.medal_revoke
            if request.POST.get("action") == "revoke"
            else services.medal_award
        )
        try:
            verb(
                medal=medal,
                user=member,
                actor=request.user,
                reason=request.POST.get("reason", ""),
                ip=client_ip(request),
            )
        except ValidationError as exc:
            messages.error(request, errors_text(exc))
        return redirect("moderation:member_medals", username=member.username)
    return render(
        request,
        "moderation/medals/member.html",
        {
            "member": member,
            "held": account_selectors.medals_of(member),
            "medals": account_selectors.medals_listed(),
        },
    )


def _id(value) -> int:
    if not str(value or "").isdigit() or len(str(value)) > 18:
        raise Http404
    return int(value)
