"""Staff pages for early-access programs: list, create/edit, the program page with
its tabs, invitations (one, selected, all candidates) and removals.

Every view is staff-only: anonymous visitors are sent to sign in, everyone
else gets 403 before any form is read.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import selectors as program_selectors
from accounts.models import Program, ProgramMembership
from accounts.selectors import TABS
from config.http import client_ip, message_refusal
from config.paging import page_number
from moderation import services
from moderation.forms.programs import InviteSelectedForm, InviteUserForm, ProgramForm, RemoveForm
from moderation.permissions import check_can_manage_programs


def staff_only(view):
    @login_required
    @wraps(view)
    def checked(request, *args, **kwargs):
        check_can_manage_programs(request.user)
        return view(request, *args, **kwargs)

    return checked


def _program_url(program: Program, tab: str = "candidates") -> str:
    return reverse("moderation:program", kwargs={"pk": program.pk}) + f"?tab={tab}"


@staff_only
def program_list(request):
    return render(
        request,
        "moderation/programs/list.html",
        {"programs": list(program_selectors.programs_with_counts())},
    )


def _save(request, form, program=None):
    data = form.cleaned_data
    kwargs = {
        "actor": request.user,
        "devices": data["devices"],
        "board": data["board"],
        "ip": client_ip(request),
        **form.program_fields(),
    }
    if program is None:
        return services.program_create(**kwargs)
    return services.program_update(program=program, **kwargs)


def _program_form(request, program=None):
    form = ProgramForm(request.POST or None, instance=program)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = _save(request, form, program)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Program saved."))
                return redirect(_program_url(saved))
        status = 400
    return render(
        request,
        "moderation/programs/form.html",
        {"form": form, "program": program},
        status=status,
    )


@staff_only
def program_create(request):
    return _program_form(request)


@staff_only
def program_edit(request, pk):
    return _program_form(request, get_object_or_404(Program, pk=pk))


@staff_only
def program_detail(request, pk):
    program = get_object_or_404(Program.objects.prefetch_related("devices"), pk=pk)
    tab = request.GET.get("tab", "candidates")
    if tab not in TABS:
        tab = "candidates"
    if tab == "candidates":
        page = program_selectors.candidate_page(program, page=page_number(request))
    else:
        page = program_selectors.membership_page(program, state=tab, page=page_number(request))
    return render(
        request,
        "moderation/programs/detail.html",
        {
            "program": program,
            "tab": tab,
            "tabs": TABS,
            "counts": program_selectors.program_counts(program),
            "page": page,
            "invite_form": InviteUserForm(),
        },
    )


def _act(request, program, run, done, tab):
    try:
        result = run()
    except ValidationError as exc:
        message_refusal(request, exc)
    else:
        messages.success(request, done(result))
    return redirect(_program_url(program, tab))


@staff_only
@require_POST
def program_invite(request, pk):
    program = get_object_or_404(Program, pk=pk)
    form = InviteUserForm(request.POST)
    if not form.is_valid():
        message_refusal(request, form.errors)
        return redirect(_program_url(program, "invited"))
    user = form.cleaned_data["username"]
    return _act(
        request,
        program,
        lambda: services.program_invite(
            program=program, user=user, actor=request.user, ip=client_ip(request)
        ),
        lambda _m: _("%(user)s is invited.") % {"user": user.username},
        "invited",
    )


@staff_only
@require_POST
def program_invite_selected(request, pk):
    program = get_object_or_404(Program, pk=pk)
    form = InviteSelectedForm(request.POST)
    if not form.is_valid():
        message_refusal(request, form.errors)
        return redirect(_program_url(program))
    return _act(
        request,
        program,
        lambda: services.program_invite_candidates(
            program=program,
            actor=request.user,
            user_ids=form.cleaned_data["users"],
            ip=client_ip(request),
        ),
        lambda n: _("%(n)d invited.") % {"n": n},
        "candidates",
    )


@staff_only
@require_POST
def program_invite_all(request, pk):
    program = get_object_or_404(Program, pk=pk)
    return _act(
        request,
        program,
        lambda: services.program_invite_candidates(
            program=program, actor=request.user, ip=client_ip(request)
        ),
        lambda n: _("%(n)d invited.") % {"n": n},
        "candidates",
    )


@staff_only
@require_POST
def program_flag(request, pk):
    program = get_object_or_404(Program, pk=pk)
    return _act(
        request,
        program,
        lambda: services.program_flag_now(program=program, actor=request.user),
        lambda n: (
            ngettext(
                "Candidates refreshed: %(n)d qualifies.", "Candidates refreshed: %(n)d qualify.", n
            )
            % {"n": n}
        ),
        "candidates",
    )


@staff_only
@require_POST
def program_remove(request, pk, membership_pk):
    program = get_object_or_404(Program, pk=pk)
    membership = (
        ProgramMembership.objects.select_related("user", "program")
        .filter(pk=membership_pk, program=program)
        .first()
    )
    if membership is None:
        raise Http404
    form = RemoveForm(request.POST)
    if not form.is_valid():
        message_refusal(request, form.errors)
        return redirect(_program_url(program, membership.state))
    return _act(
        request,
        program,
        lambda: services.program_remove(
            membership=membership,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            ip=client_ip(request),
        ),
        lambda m: _("%(user)s removed.") % {"user": m.user.username},
        "removed",
    )
