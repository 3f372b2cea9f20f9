"""The staff console: dashboard, member list and a member's core flag. Staff only,
on every URL (exports: moderation.views.exports)."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from config.http import client_ip
from config.paging import page_number
from moderation import permissions, selectors, services
from moderation.forms.console import ChartRangeForm, CoreLockForm, CoreUserFilterForm
from moderation.forms.member_data import DeleteMemberForm


def staff_console(view):
    """Anonymous visitors go to sign in; signed-in non-staff get 403."""

    @wraps(view)
    @login_required
    def checked(request, *args, **kwargs):
        permissions.check_can_use_console(request.user)
        return view(request, *args, **kwargs)

    return checked


@staff_console
@require_GET
def dashboard(request):
    form = ChartRangeForm(request.GET or None)
    first, last = form.range(settings.POPCORN["CONSOLE_CHART_DAYS"])
    chart = selectors.line_chart(selectors.chart_rows(first, last), first, last)
    return render(
        request,
        "moderation/console/dashboard.html",
        {
            "board": selectors.dashboard(),
            "chart": chart,
            "form": form,
            "first": first,
            "last": last,
        },
    )


@staff_console
@require_GET
def members(request):
    form = CoreUserFilterForm(request.GET or None)
    rows = selectors.members_filtered(form.filters(), sort=form.ordering())
    page = Paginator(rows, settings.POPCORN["CONSOLE_USERS_PER_PAGE"]).get_page(
        page_number(request)
    )
    kept = form.submitted()
    return render(
        request,
        "moderation/console/members.html",
        {
            "form": form,
            "page": page,
            "query": urlencode(kept),
            "filter_query": urlencode(kept) + "&" if kept else "",
            "may_export_emails": permissions.can_export_emails(request.user),
            "stream_max": settings.POPCORN["EXPORT_STREAM_MAX_ROWS"],
        },
    )


@staff_console
@require_GET
def member_detail(request, pk):
    member = get_object_or_404(selectors.members_annotated(), pk=pk)
    history = selectors.core_flag_history(member)[:50]
    return render(
        request,
        "moderation/console/member.html",
        {
            "member": member,
            "history": history,
            "form": CoreLockForm(initial={"lock": member.core_lock}),
            "delete_form": DeleteMemberForm(),
        },
    )


@staff_console
@require_POST
def member_core_lock(request, pk):
    member = get_object_or_404(User, pk=pk)
    form = CoreLockForm(request.POST)
    if form.is_valid():
        try:
            services.core_flag_lock(
                user=member,
                actor=request.user,
                lock=form.cleaned_data["lock"],
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The core flag was updated."))
    else:
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    return redirect("moderation:console_member", pk=member.pk)
