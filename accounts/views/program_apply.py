"""Applying to a programme, and a member's own programme page (this week's tasks, the
deadline, warnings, score history)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import selectors, services
from accounts.forms.program_apply import ApplicationForm
from accounts.models import ApplicationState, Program
from config.http import message_refusal


@login_required
def programs_open(request):
    """Programmes open for applications, with the member's latest application to each."""
    programs = list(selectors.programs_open_for_applications().order_by("-starts_at", "-id")[:50])
    mine = {}
    for application in (
        selectors.applications_of(request.user)
        .filter(program__in=[p.pk for p in programs])
        .order_by("submitted_at")
    ):
        mine[application.program_id] = application
    rows = [(program, mine.get(program.pk)) for program in programs]
    return render(request, "accounts/programs/open.html", {"rows": rows})


@login_required
def program_apply(request, slug):
    program = get_object_or_404(Program.objects.select_related("apply_rules"), slug=slug)
    refusal = services.apply_refusal(program, request.user)
    rules = selectors.apply_rules(program)
    latest = (
        selectors.applications_of(request.user)
        .filter(program=program)
        .order_by("-submitted_at", "-id")
        .first()
    )
    today = timezone.localdate()
    if latest and (latest.state == ApplicationState.PENDING or latest.quiz_day == today):
        refusal = refusal or _("You applied today; your application is shown below.")
    form = None
    status = 200
    if refusal is None:
        questions = list(program.apply_questions.all())
        quiz = selectors.quiz_draw(program, request.user, today, rules.quiz_per_day)
        form = ApplicationForm(request.POST or None, questions=questions, quiz=quiz)
        if request.method == "POST":
            if form.is_valid():
                try:
                    application = services.program_apply(
                        user=request.user, program=program, **form.service_arguments()
                    )
                except ValidationError as exc:
                    if hasattr(exc, "error_dict"):
                        for field, errors in exc.message_dict.items():
                            form.add_error(field if field in form.fields else None, errors)
                    else:
                        message_refusal(request, exc)
                        return redirect("accounts:program_apply", slug=slug)
                else:
                    if application.state == ApplicationState.ACCEPTED:
                        messages.success(
                            request, _("Welcome to “%(name)s”.") % {"name": program.name}
                        )
                        return redirect("accounts:program_mine", slug=slug)
                    messages.info(request, _("Your application was sent."))
                    return redirect("accounts:program_apply", slug=slug)
            status = 400
    elif request.method == "POST":
        message_refusal(request, ValidationError(refusal))
        return redirect("accounts:program_apply", slug=slug)
    return render(
        request,
        "accounts/programs/apply.html",
        {
            "program": program,
            "rules": rules,
            "form": form,
            "refusal": refusal,
            "latest": latest,
            "criteria": selectors.criteria_report(program, request.user) if form else [],
        },
        status=status,
    )


@login_required
def program_mine(request, slug):
    program = get_object_or_404(Program, slug=slug)
    membership = selectors.my_membership(request.user, program)
    if membership is None:
        messages.info(request, _("You are not a member of this program."))
        return redirect("accounts:programs")
    progress = selectors.member_progress(membership)
    return render(request, "accounts/programs/mine.html", {"program": program, "p": progress})
