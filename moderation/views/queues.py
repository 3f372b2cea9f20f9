"""Reporting a post, the report and approval queues, and a member's history.

Thin views: reach is checked before any form is read (403, nothing written),
each write is one service call, and every list page has a fixed query count.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.paging import page_number
from forum.models import Post
from forum.permissions import check_can_moderate, moderation_reach
from moderation.forms.actions import ReasonForm, ReportForm, ResolveForm
from moderation.models import ReportCase
from moderation.selectors import queues
from moderation.services import approvals, reports
from moderation.views.actions import _back, _refused, client_ip


def _check_moderator(user):
    reach = moderation_reach(user)
    if not reach:
        raise PermissionDenied(_("The moderation queues are for moderators."))
    return reach


# Reporting --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_post(request, post_id):
    post = get_object_or_404(Post.objects.select_related("thread__board"), pk=post_id)
    denied = reports.report_denied_reason(request.user, post)
    if denied:
        raise PermissionDenied(denied)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                reports.report_create(post=post, reporter=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Thanks: the moderators will look at it."))
                return redirect(post.get_absolute_url())
    return render(request, "moderation/report.html", {"form": form, "post": post}, status=status)


# The report queue -------------------------------------------------------------


@login_required
@require_GET
def report_queue(request):
    reach = _check_moderator(request.user)
    page = queues.report_queue_page(reach, page=page_number(request))
    return render(
        request,
        "moderation/reports.html",
        {
            "page": page,
            "counts": queues.queue_counts(request.user, reports=page.paginator.count),
            "resolve_form": ResolveForm(),
        },
    )


@login_required
@require_POST
def report_resolve(request, case_id):
    case = get_object_or_404(ReportCase.objects.select_related("post__thread__board"), pk=case_id)
    check_can_moderate(request.user, case.post.thread.board)
    back = _back(request, reverse("moderation:reports"))
    form = ResolveForm(request.POST)
    if not form.is_valid():
        _refused(request, form.errors)
        return redirect(back)
    data = form.cleaned_data
    try:
        if data["outcome"] == "hide":
            reports.report_case_uphold(
                case=case,
                actor=request.user,
                reason=data["reason"],
                suspend_days=data["suspend_days"],
                ip=client_ip(request),
            )
            messages.success(request, _("Post hidden; the reporters were told."))
        else:
            reports.report_case_dismiss(
                case=case, actor=request.user, note=data["reason"], ip=client_ip(request)
            )
            messages.success(request, _("Reports dismissed; the reporters were told."))
    except ValidationError as exc:
        _refused(request, exc)
    except PermissionDenied as exc:  # e.g. the author cannot be suspended: nothing was done
        _refused(request, [str(exc)])
    return redirect(back)


# The approval queue -----------------------------------------------------------


@login_required
@require_GET
def approval_queue(request):
    reach = _check_moderator(request.user)
    page = queues.approval_queue_page(reach, page=page_number(request))
    return render(
        request,
        "moderation/approvals.html",
        {"page": page, "counts": queues.queue_counts(request.user, approvals=page.paginator.count)},
    )


APPROVAL_ACTIONS = {"approve", "reject"}


@login_required
@require_POST
def approval_action(request, post_id, action):
    if action not in APPROVAL_ACTIONS:
        raise Http404
    post = get_object_or_404(Post.objects.select_related("thread__board"), pk=post_id)
    check_can_moderate(request.user, post.thread.board)
    back = _back(request, reverse("moderation:approvals"))
    form = ReasonForm(request.POST)
    if not form.is_valid():
        _refused(request, form.errors)
        return redirect(back)
    try:
        if action == "approve":
            approvals.pending_approve(post=post, actor=request.user, ip=client_ip(request))
            messages.success(request, _("Approved: it is public now."))
        else:
            approvals.pending_reject(
                post=post,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
            messages.success(request, _("Rejected; the author was told why."))
    except ValidationError as exc:
        _refused(request, exc)
    return redirect(back)


# A member's history and the header badge --------------------------------------


@login_required
@require_GET
@login_required
@require_GET
def queue_badge(request):
    """The header's queue counts, loaded by htmx after the page: pages pay nothing for it."""
    _check_moderator(request.user)
    return render(
        request,
        "moderation/partials/queue_badge.html",
        {"counts": queues.queue_counts(request.user)},
    )
