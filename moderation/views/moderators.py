"""Staff's page for moderators: who moderates what, appointing by username,
removing, and granting or revoking global-moderator rights. Every change goes
through moderation.services (staff checked again, one audit row each)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.http import client_ip, message_refusal
from moderation import selectors, services
from moderation.forms.moderators import GlobalModeratorForm, ModeratorRoleForm
from moderation.permissions import check_can_appoint_moderators

LIST = "moderation:moderators"


def staff_only(view):
    """Anonymous visitors go to sign in; everyone else but staff gets 403."""

    @login_required
    @wraps(view)
    def checked(request, *args, **kwargs):
        check_can_appoint_moderators(request.user)
        return view(request, *args, **kwargs)

    return checked


def _where(data) -> str:
    return data["board"].name if data["board"] else data["section"].name


@staff_only
@require_GET
def moderator_list(request):
    return render(
        request,
        "moderation/moderators/list.html",
        {
            "roster": selectors.moderator_roster(),
            "role_form": ModeratorRoleForm(),
            "global_form": GlobalModeratorForm(),
        },
    )


def _role_change(request, service, done: str, unchanged: str):
    form = ModeratorRoleForm(request.POST)
    if not form.is_valid():
        message_refusal(request, form.errors)
        return redirect(LIST)
    data = form.cleaned_data
    changed = service(
        user=data["username"],
        actor=request.user,
        board=data["board"],
        section=data["section"],
        ip=client_ip(request),
    )
    shown = {"user": data["username"].username, "where": _where(data)}
    messages.success(request, (done if changed else unchanged) % shown)
    return redirect(LIST)


@staff_only
@require_POST
def moderator_appoint(request):
    return _role_change(
        request,
        services.moderator_add,
        _("%(user)s now moderates %(where)s."),
        _("%(user)s already moderates %(where)s."),
    )


@staff_only
@require_POST
def moderator_dismiss(request):
    return _role_change(
        request,
        services.moderator_remove,
        _("%(user)s no longer moderates %(where)s."),
        _("%(user)s did not moderate %(where)s."),
    )


@staff_only
@require_POST
def global_moderator_change(request):
    form = GlobalModeratorForm(request.POST)
    if not form.is_valid():
        message_refusal(request, form.errors)
        return redirect(LIST)
    user, grant = form.cleaned_data["username"], form.cleaned_data["change"] == form.GRANT
    service = services.global_moderator_grant if grant else services.global_moderator_revoke
    try:
        changed = service(user=user, actor=request.user, ip=client_ip(request))
    except ValidationError as exc:
        message_refusal(request, exc)
        return redirect(LIST)
    if grant:
        done, unchanged = _("%(user)s is a global moderator."), _("%(user)s is one already.")
    else:
        done, unchanged = (
            _("%(user)s is no longer a global moderator."),
            _("%(user)s was not a global moderator."),
        )
    messages.success(request, (done if changed else unchanged) % {"user": user.username})
    return redirect(LIST)
