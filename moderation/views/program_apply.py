"""Staff pages for programme applications: the rules, questions and quiz bank; the
applications by state with what passed and failed; accept and reject (audited)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors as account_selectors
from accounts.models import ApplicationState, Program, ProgramApplication
from config.http import client_ip, message_refusal
from config.paging import page_number
from moderation import services
from moderation.forms.program_apply import ApplyRulesForm, RejectApplicationForm

from .programs import staff_only

PAGE_SIZE = 50


def _applications_url(program, state=ApplicationState.PENDING) -> str:
    return reverse("moderation:program_applications", kwargs={"pk": program.pk}) + f"?state={state}"


@staff_only
def program_apply_rules(request, pk):
    program = get_object_or_404(Program, pk=pk)
    rules = account_selectors.apply_rules(program)
    form = ApplyRulesForm(request.POST or None, instance=rules, program=program)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.program_apply_rules_set(
                    program=program,
                    actor=request.user,
                    fields=form.rule_fields(),
                    questions=form.cleaned_data["questions"],
                    quiz=form.cleaned_data["quiz"],
                    ip=client_ip(request),
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(request, _("Application rules saved."))
                return redirect(_applications_url(program))
        status = 400
    return render(
        request,
        "moderation/programs/apply_rules.html",
        {"program": program, "form": form},
        status=status,
    )


@staff_only
def program_applications(request, pk):
    program = get_object_or_404(Program, pk=pk)
    state = request.GET.get("state", ApplicationState.PENDING)
    if state not in ApplicationState.values:
        state = ApplicationState.PENDING
    rows = account_selectors.program_applications(program, state).order_by("-submitted_at", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(page_number(request))
    return render(
        request,
        "moderation/programs/applications.html",
        {
            "program": program,
            "state": state,
            "states": ApplicationState.choices,
            "page": page,
            "reject_form": RejectApplicationForm(),
        },
    )


def _application(pk, application_pk):
    return get_object_or_404(
        ProgramApplication.objects.select_related("user", "program"),
        pk=application_pk,
        program_id=pk,
    )


@staff_only
@require_POST
def program_application_accept(request, pk, application_pk):
    application = _application(pk, application_pk)
    try:
        services.program_application_accept(
            application=application, actor=request.user, ip=client_ip(request)
        )
    except ValidationError as exc:
        message_refusal(request, exc)
    else:
        messages.success(
            request, _("%(user)s is now a member.") % {"user": application.user.username}
        )
    return redirect(_applications_url(application.program))


@staff_only
@require_POST
def program_application_reject(request, pk, application_pk):
    application = _application(pk, application_pk)
    form = RejectApplicationForm(request.POST)
    if not form.is_valid():
        message_refusal(request, ValidationError(_("Say why, for the applicant.")))
        return redirect(_applications_url(application.program))
    try:
        services.program_application_reject(
            application=application,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            ip=client_ip(request),
        )
    except ValidationError as exc:
        message_refusal(request, exc)
    else:
        messages.success(request, _("Application rejected."))
    return redirect(_applications_url(application.program))
