"""Moderators' pages and actions. Each action view is thin: it checks reach
first (403 before any form is read), validates, calls one service and returns
to where the moderator was."""

import ipaddress

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.paging import page_number
from forum.models import Board, Post, Thread
from forum.permissions import check_can_moderate
from moderation import selectors, services
from moderation.forms.actions import (
    AuditLogFilterForm,
    BugStatusForm,
    BulkForm,
    MergeForm,
    MoveForm,
    ReasonForm,
    SlowModeForm,
    SplitForm,
)


def client_ip(request) -> str | None:
    # REMOTE_ADDR is what the trusted proxy in front of us set; never a client header.
    address = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _back(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _refused(request, errors) -> None:
    if isinstance(errors, ValidationError):
        errors = errors.messages
    elif hasattr(errors, "values"):  # a form's errors
        errors = [message for field in errors.values() for message in field]
    messages.error(request, " ".join(str(e) for e in errors))


# Actions on a thread: (form, run, done message). run returns where to go next, or None.


def _pin(thread, actor, data, ip):
    services.thread_pin(thread=thread, actor=actor, reason=data["reason"], ip=ip)


def _announce(thread, actor, data, ip):
    services.thread_pin(thread=thread, actor=actor, site_wide=True, reason=data["reason"], ip=ip)


def _flag(service):
    def run(thread, actor, data, ip):
        service(thread=thread, actor=actor, reason=data["reason"], ip=ip)

    return run


def _move(thread, actor, data, ip):
    services.thread_move(
        thread=thread,
        to_board=data["to_board"],
        actor=actor,
        leave_notice=data["leave_notice"],
        reason=data["reason"],
        ip=ip,
    )


def _merge(thread, actor, data, ip):
    target = Thread.objects.filter(pk=data["target"]).first()
    if target is None:
        raise ValidationError(_("There is no thread number %(n)s.") % {"n": data["target"]})
    merged = services.thread_merge(
        source=thread,
        target=target,
        actor=actor,
        leave_notice=data["leave_notice"],
        reason=data["reason"],
        ip=ip,
    )
    return merged.get_absolute_url()


def _split(thread, actor, data, ip):
    new = services.thread_split(
        thread=thread,
        post_ids=data["posts"],
        title=data["title"],
        actor=actor,
        reason=data["reason"],
        ip=ip,
    )
    return new.get_absolute_url()


def _bug_status(thread, actor, data, ip):
    services.thread_set_bug_status(
        thread=thread,
        actor=actor,
        status=data["status"],
        fixed_in_version=data["fixed_in_version"],
        reason=data["reason"],
        ip=ip,
    )


def _slow_mode(thread, actor, data, ip):
    services.thread_set_slow_mode(
        thread=thread, actor=actor, seconds=data["seconds"], reason=data["reason"], ip=ip
    )


THREAD_ACTIONS = {
    "pin": (ReasonForm, _pin, _("Pinned.")),
    "announce": (ReasonForm, _announce, _("Pinned site-wide.")),
    "unpin": (ReasonForm, _flag(services.thread_unpin), _("Unpinned.")),
    "lock": (ReasonForm, _flag(services.thread_lock), _("Locked.")),
    "unlock": (ReasonForm, _flag(services.thread_unlock), _("Unlocked.")),
    "feature": (ReasonForm, _flag(services.thread_feature), _("Featured.")),
    "unfeature": (ReasonForm, _flag(services.thread_unfeature), _("No longer featured.")),
    "hide": (ReasonForm, _flag(services.thread_hide), _("Thread hidden.")),
    "restore": (ReasonForm, _flag(services.thread_restore), _("Thread restored.")),
    "move": (MoveForm, _move, _("Thread moved.")),
    "merge": (MergeForm, _merge, _("Threads merged.")),
    "split": (SplitForm, _split, _("Posts split into a new thread.")),
    "bug-status": (BugStatusForm, _bug_status, _("Status set.")),
    "slow-mode": (SlowModeForm, _slow_mode, _("Slow mode set.")),
}

POST_ACTIONS = {
    "hide": (services.post_hide, _("Post hidden.")),
    "restore": (services.post_restore, _("Post restored.")),
    "helpful": (services.post_mark_helpful, _("Marked helpful.")),
    "unhelpful": (services.post_unmark_helpful, _("No longer marked helpful.")),
}


@login_required
@require_POST
def thread_action(request, pk, action):
    if action not in THREAD_ACTIONS:
        raise Http404
    form_class, run, done = THREAD_ACTIONS[action]
    thread = get_object_or_404(Thread.objects.select_related("board"), pk=pk)
    check_can_moderate(request.user, thread.board)
    back = _back(request, thread.get_absolute_url())
    form = form_class(request.POST)
    if not form.is_valid():
        _refused(request, form.errors)
        return redirect(back)
    try:
        goto = run(thread, request.user, form.cleaned_data, client_ip(request))
    except ValidationError as exc:
        _refused(request, exc)
        return redirect(back)
    messages.success(request, done)
    return redirect(goto or back)


@login_required
@require_POST
def post_action(request, pk, action):
    if action not in POST_ACTIONS:
        raise Http404
    service, done = POST_ACTIONS[action]
    post = get_object_or_404(Post.objects.select_related("thread__board"), pk=pk)
    check_can_moderate(request.user, post.thread.board)
    back = _back(request, post.get_absolute_url())
    form = ReasonForm(request.POST)
    if not form.is_valid():
        _refused(request, form.errors)
        return redirect(back)
    reason = form.cleaned_data["reason"]
    try:
        service(post=post, actor=request.user, reason=reason, ip=client_ip(request))
    except ValidationError as exc:
        _refused(request, exc)
        return redirect(back)
    messages.success(request, done)
    return redirect(back)


@login_required
@require_POST
def board_bulk(request, slug):
    board = get_object_or_404(Board, slug=slug)
    check_can_moderate(request.user, board)
    back = _back(request, board.get_absolute_url())
    form = BulkForm(request.POST)
    if not form.is_valid():
        _refused(request, form.errors)
        return redirect(back)
    data = form.cleaned_data
    try:
        count = services.threads_bulk_apply(
            board=board,
            thread_ids=data["threads"],
            action=data["action"],
            actor=request.user,
            reason=data["reason"],
            to_board=data["to_board"],
            ip=client_ip(request),
        )
    except ValidationError as exc:
        _refused(request, exc)
        return redirect(back)
    messages.success(
        request,
        _("%(action)s: %(count)d threads.")
        % {"action": services.BULK_ACTIONS[data["action"]], "count": count},
    )
    return redirect(back)


@login_required
def audit_log(request):
    rows = selectors.audit_log_visible_to(request.user)
    if rows is None:
        raise PermissionDenied(_("The moderation log is for moderators."))
    form = AuditLogFilterForm(request.GET or None, boards=selectors.audit_log_boards(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    page = selectors.audit_log_page(
        rows, page=page_number(request), **{k: v for k, v in filters.items() if v}
    )
    kept = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "moderation/log.html",
        {"form": form, "page": page, "filter_query": urlencode(kept) + "&" if kept else ""},
    )
