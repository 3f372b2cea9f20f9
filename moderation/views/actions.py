"""Moderators' actions on threads and posts, one by one or in bulk. Each action
view is thin: it checks reach first (403 before any form is read), validates,
calls one service and returns to where the moderator was."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from config.http import client_ip, message_refusal, safe_next
from forum.models import Board, Post, Thread
from forum.permissions import check_can_moderate
from moderation import services
from moderation.forms.actions import (
    BugStatusForm,
    BulkForm,
    DuplicateForm,
    FeedbackStatusForm,
    MergeForm,
    MoveForm,
    ReasonForm,
    SlowModeForm,
    SplitForm,
)

# Actions on a thread: (form, run, done message). run returns where to go next, or None.
# The messages are lazy: the tables are built at import, the text in the moderator's language.


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


def _thread_numbered(pk, field: str) -> Thread:
    found = Thread.objects.select_related("board").filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: [_("There is no thread number %(n)s.") % {"n": pk}]})
    return found


def _bug_status(thread, actor, data, ip):
    release = _thread_numbered(data["release"], "release") if data.get("release") else None
    services.thread_set_bug_status(
        thread=thread,
        actor=actor,
        status=data["status"],
        fixed_in_version=data["fixed_in_version"],
        release=release,
        reason=data["reason"],
        ip=ip,
    )


def _feedback_status(thread, actor, data, ip):
    services.thread_set_feedback_status(
        thread=thread, actor=actor, status=data["status"], reason=data["reason"], ip=ip
    )


def _duplicate(thread, actor, data, ip):
    services.thread_mark_duplicate(
        thread=thread,
        original=_thread_numbered(data["original"], "original"),
        actor=actor,
        reason=data["reason"],
        ip=ip,
    )


def _slow_mode(thread, actor, data, ip):
    services.thread_set_slow_mode(
        thread=thread, actor=actor, seconds=data["seconds"], reason=data["reason"], ip=ip
    )


THREAD_ACTIONS = {
    "pin": (ReasonForm, _pin, gettext_lazy("Pinned.")),
    "announce": (ReasonForm, _announce, gettext_lazy("Pinned site-wide.")),
    "unpin": (ReasonForm, _flag(services.thread_unpin), gettext_lazy("Unpinned.")),
    "lock": (ReasonForm, _flag(services.thread_lock), gettext_lazy("Locked.")),
    "unlock": (ReasonForm, _flag(services.thread_unlock), gettext_lazy("Unlocked.")),
    "feature": (ReasonForm, _flag(services.thread_feature), gettext_lazy("Featured.")),
    "unfeature": (
        ReasonForm,
        _flag(services.thread_unfeature),
        gettext_lazy("No longer featured."),
    ),
    "hide": (ReasonForm, _flag(services.thread_hide), gettext_lazy("Thread hidden.")),
    "restore": (ReasonForm, _flag(services.thread_restore), gettext_lazy("Thread restored.")),
    "move": (MoveForm, _move, gettext_lazy("Thread moved.")),
    "merge": (MergeForm, _merge, gettext_lazy("Threads merged.")),
    "split": (SplitForm, _split, gettext_lazy("Posts split into a new thread.")),
    "bug-status": (BugStatusForm, _bug_status, gettext_lazy("Status set.")),
    "feedback-status": (FeedbackStatusForm, _feedback_status, gettext_lazy("Status set.")),
    "duplicate": (DuplicateForm, _duplicate, gettext_lazy("Closed as a duplicate.")),
    "slow-mode": (SlowModeForm, _slow_mode, gettext_lazy("Slow mode set.")),
}

POST_ACTIONS = {
    "hide": (services.post_hide, gettext_lazy("Post hidden.")),
    "restore": (services.post_restore, gettext_lazy("Post restored.")),
    "helpful": (services.post_mark_helpful, gettext_lazy("Marked helpful.")),
    "unhelpful": (services.post_unmark_helpful, gettext_lazy("No longer marked helpful.")),
}


@login_required
@require_POST
def thread_action(request, pk, action):
    if action not in THREAD_ACTIONS:
        raise Http404
    form_class, run, done = THREAD_ACTIONS[action]
    thread = get_object_or_404(Thread.objects.select_related("board"), pk=pk)
    check_can_moderate(request.user, thread.board)
    back = safe_next(request, thread.get_absolute_url())
    form = form_class(request.POST)
    if not form.is_valid():
        message_refusal(request, form.errors)
        return redirect(back)
    try:
        goto = run(thread, request.user, form.cleaned_data, client_ip(request))
    except ValidationError as exc:
        message_refusal(request, exc)
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
    back = safe_next(request, post.get_absolute_url())
    form = ReasonForm(request.POST)
    if not form.is_valid():
        message_refusal(request, form.errors)
        return redirect(back)
    reason = form.cleaned_data["reason"]
    try:
        service(post=post, actor=request.user, reason=reason, ip=client_ip(request))
    except ValidationError as exc:
        message_refusal(request, exc)
        return redirect(back)
    messages.success(request, done)
    return redirect(back)


@login_required
@require_POST
def board_bulk(request, slug):
    board = get_object_or_404(Board, slug=slug)
    check_can_moderate(request.user, board)
    back = safe_next(request, board.get_absolute_url())
    form = BulkForm(request.POST)
    if not form.is_valid():
        message_refusal(request, form.errors)
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
        message_refusal(request, exc)
        return redirect(back)
    messages.success(
        request,
        ngettext("%(action)s: %(count)d thread.", "%(action)s: %(count)d threads.", count)
        % {"action": services.BULK_ACTIONS[data["action"]], "count": count},
    )
    return redirect(back)
