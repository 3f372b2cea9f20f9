"""A member's moderation page (state, history, sanction forms) and its POST actions.

Reached from the member's profile and from a post's author (with ?board=, the
board the post is in, which board moderators need: their powers stop at their
boards). Each action checks the actor's power over the member first (403 before
any form is read), then calls one service in moderation.services.sanctions.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import User
from config.http import client_ip, message_refusal
from forum.models import Board
from moderation import permissions, selectors, services
from moderation.forms.sanctions import PERMANENT, LiftForm, SilenceForm, SuspendForm, WarnForm


def _board(data) -> Board | None:
    slug = data.get("board", "")
    if not slug:
        return None
    board = Board.objects.filter(slug=slug).first()
    if board is None:
        raise Http404
    return board


def _member_url(member: User, board: Board | None) -> str:
    url = reverse("moderation:member", kwargs={"username": member.username})
    return f"{url}?{urlencode({'board': board.slug})}" if board else url


def _warn(actor, member, data, board, ip):
    services.user_warn(actor=actor, user=member, reason=data["reason"], board=board, ip=ip)


def _until(hours: int):
    return timezone.now() + timedelta(hours=hours)


def _silence(actor, member, data, board, ip):
    services.user_silence(
        actor=actor,
        user=member,
        until=_until(data["hours"]),
        reason=data["reason"],
        board=board,
        ip=ip,
    )


def _suspend(actor, member, data, board, ip):
    until = None if data["hours"] == PERMANENT else _until(data["hours"])
    services.user_suspend(
        actor=actor, user=member, until=until, reason=data["reason"], board=board, ip=ip
    )


def _lift(service):
    def run(actor, member, data, board, ip):
        service(actor=actor, user=member, reason=data["reason"], board=board, ip=ip)

    return run


# action: (power needed, form, run, done message)
ACTIONS = {
    "warn": (permissions.WARN, WarnForm, _warn, gettext_lazy("Warning sent.")),
    "silence": (permissions.SILENCE, SilenceForm, _silence, gettext_lazy("Member silenced.")),
    "lift-silence": (
        permissions.LIFT_SILENCE,
        LiftForm,
        _lift(services.user_lift_silence),
        gettext_lazy("Silence lifted."),
    ),
    "suspend": (permissions.SUSPEND, SuspendForm, _suspend, gettext_lazy("Member suspended.")),
    "lift-suspension": (
        permissions.LIFT_SUSPENSION,
        LiftForm,
        _lift(services.user_lift_suspension),
        gettext_lazy("Suspension lifted."),
    ),
}


@login_required
def member_page(request, username):
    permissions.check_can_sanction_anyone(request.user)
    member = get_object_or_404(User, username=username)
    board = _board(request.GET)
    powers = permissions.sanction_powers(request.user, member, board=board)
    return render(
        request,
        "moderation/sanctions/member.html",
        {
            "member": member,
            "board": board,
            "powers": powers,
            # Reports against them, actions on their content and on their
            # account, and how their own reports fared (moderation.selectors.queues).
            "history": selectors.member_history(member, viewer=request.user),
            "refused_until": selectors.report_refused_until(member),
            "recent_warnings": selectors.recent_warning_count(member),
            "warn_form": WarnForm(),
            "silence_form": SilenceForm(),
            "suspend_form": SuspendForm(),
        },
    )


@login_required
@require_POST
def member_action(request, username, action):
    if action not in ACTIONS:
        raise Http404
    power, form_class, run, done = ACTIONS[action]
    member = get_object_or_404(User, username=username)
    board = _board(request.POST)
    if power not in permissions.sanction_powers(request.user, member, board=board):
        raise PermissionDenied(_("You may not do this to this member."))
    back = _member_url(member, board)
    form = form_class(request.POST)
    if not form.is_valid():
        message_refusal(request, form.errors)
        return redirect(back)
    try:
        run(request.user, member, form.cleaned_data, board, client_ip(request))
    except ValidationError as exc:
        message_refusal(request, exc)
        return redirect(back)
    messages.success(request, done)
    return redirect(back)
