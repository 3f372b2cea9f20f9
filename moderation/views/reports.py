"""Reporting a post (every member) and the moderators' report queue.

Thin views: reach is checked before any form is read (403, nothing written),
each write is one service call, and the queue page has a fixed query count.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.http import (
    client_ip,
    errors_text,
    is_htmx,
    message_refusal,
    refusal_page,
    refusal_toast,
    refuse,
    safe_next,
)
from config.paging import page_number
from forum.models import Post
from forum.permissions import check_can_moderate
from moderation import selectors, services
from moderation.forms.reports import ReportForm, ResolveForm
from moderation.models import ReportCase
from moderation.permissions import check_can_see_queues, report_denied_reason

# Reporting --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_post(request, post_id):
    post = get_object_or_404(Post.objects.select_related("thread__board"), pk=post_id)
    denied = report_denied_reason(request.user, post)
    if denied:  # e.g. suspended: said in place (htmx), or back on the post with the reason
        if request.method == "GET":
            return refusal_page(request, denied)
        return refuse(request, denied, back=post.get_absolute_url())
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.report_create(post=post, reporter=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                thanks = _("Thanks: the moderators will look at it.")
                if is_htmx(request):  # the post's report link becomes the thanks
                    return render(request, "moderation/reports/_reported.html", {"thanks": thanks})
                messages.success(request, thanks)
                return redirect(post.get_absolute_url())
        if is_htmx(request):
            return refusal_toast(request, errors_text(form.errors), status=status)
    return render(
        request, "moderation/reports/report.html", {"form": form, "post": post}, status=status
    )


# The report queue -------------------------------------------------------------


@login_required
@require_GET
def report_queue(request):
    reach = check_can_see_queues(request.user)
    page = selectors.report_queue_page(reach, page=page_number(request))
    return render(
        request,
        "moderation/reports/queue.html",
        {
            "page": page,
            "counts": selectors.queue_counts(request.user, reports=page.paginator.count),
            "resolve_form": ResolveForm(),
        },
    )


@login_required
@require_POST
def report_resolve(request, case_id):
    case = get_object_or_404(ReportCase.objects.select_related("post__thread__board"), pk=case_id)
    check_can_moderate(request.user, case.post.thread.board)
    back = safe_next(request, reverse("moderation:reports"))
    form = ResolveForm(request.POST)
    if not form.is_valid():
        message_refusal(request, form.errors)
        return redirect(back)
    data = form.cleaned_data
    try:
        if data["outcome"] == "hide":
            services.report_case_uphold(
                case=case,
                actor=request.user,
                reason=data["reason"],
                suspend_days=data["suspend_days"],
                ip=client_ip(request),
            )
            messages.success(request, _("Post hidden; the reporters were told."))
        else:
            services.report_case_dismiss(
                case=case, actor=request.user, note=data["reason"], ip=client_ip(request)
            )
            messages.success(request, _("Reports dismissed; the reporters were told."))
    except ValidationError as exc:
        message_refusal(request, exc)
    except PermissionDenied as exc:  # e.g. the author cannot be suspended: nothing was done
        message_refusal(request, [str(exc)])
    return redirect(back)
