"""A member's early-access invitations: accept, decline, leave (POST only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.models import MembershipState, Program, ProgramMembership
from config.http import message_refusal


@login_required
def program_list(request):
    rows = selectors.my_programs(request.user)
    pending = [m for m in rows if m.effective_state == MembershipState.INVITED]
    current = [m for m in rows if m.state == MembershipState.ACCEPTED]
    history = [m for m in rows if m not in pending and m not in current]
    return render(
        request,
        "accounts/programs/list.html",
        {"pending": pending, "current": current, "history": history},
    )


@login_required
def program_invitation(request, code):
    membership = get_object_or_404(
        ProgramMembership.objects.select_related("program", "invited_by"),
        code=code,
        user=request.user,
    )
    return render(request, "accounts/programs/invitation.html", {"membership": membership})


def _answer(request, code, answer, done: str):
    """Accept or decline an invitation; a refusal goes back to the invitation page."""
    try:
        membership = answer(user=request.user, code=code)
    except ValidationError as exc:
        message_refusal(request, exc)
        return redirect("accounts:program_invitation", code=code)
    messages.success(request, done % {"name": membership.program.name})
    return redirect("accounts:programs")


@login_required
@require_POST
def program_accept(request, code):
    return _answer(request, code, services.program_accept, _("Welcome to “%(name)s”."))


@login_required
@require_POST
def program_decline(request, code):
    return _answer(request, code, services.program_decline, _("You declined “%(name)s”."))


@login_required
@require_POST
def program_leave(request, slug):
    program = get_object_or_404(Program, slug=slug)
    try:
        services.program_leave(user=request.user, program=program)
    except ValidationError as exc:
        message_refusal(request, exc)
    else:
        messages.success(request, _("You left “%(name)s”.") % {"name": program.name})
    return redirect("accounts:programs")
