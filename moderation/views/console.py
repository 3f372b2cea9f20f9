"""The staff console: dashboard, member list and exports. Staff only, on every URL."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import CoreFlagChange, User
from config.paging import page_number
from moderation.forms.console import ChartRangeForm, CoreLockForm, CoreUserFilterForm
from moderation.models import UserExport
from moderation.selectors import console
from moderation.services import core_flags as console_actions
from moderation.services import exports
from moderation.views.actions import client_ip


def staff_console(view):
    """Anonymous visitors go to sign in; signed-in non-staff get 403."""

    @wraps(view)
    @login_required
    def checked(request, *args, **kwargs):
        if not console.can_use_console(request.user):
            raise PermissionDenied(_("The console is for staff."))
        return view(request, *args, **kwargs)

    return checked


@staff_console
@require_GET
def dashboard(request):
    form = ChartRangeForm(request.GET or None)
    first, last = form.range(settings.POPCORN["CONSOLE_CHART_DAYS"])
    chart = console.line_chart(console.chart_rows(first, last), first, last)
    return render(
        request,
        "moderation/console/dashboard.html",
        {
            "board": console.dashboard(),
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
    rows = console.members_filtered(form.filters(), sort=form.ordering())
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
            "may_export_emails": console.can_export_emails(request.user),
            "stream_max": settings.POPCORN["EXPORT_STREAM_MAX_ROWS"],
        },
    )


@staff_console
@require_POST
def members_export(request):
    form = CoreUserFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        lines = [f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()]
        return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")
    include_emails = request.POST.get("emails") == "1"
    total = console.members_filtered(form.filters(), sort=form.ordering()).count()
    export = exports.export_start(
        actor=request.user,
        submitted=form.submitted(),
        include_emails=include_emails,
        total_rows=total,
        ip=client_ip(request),
    )
    if not export.streamed:
        messages.info(request, _("The export is large; it is being written. It will be here."))
        return redirect("moderation:console_export", pk=export.pk)
    response = StreamingHttpResponse(
        exports.export_stream(export), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="members-{export.pk}.csv"'
    return response


def _check_may_read(request, export: UserExport) -> None:
    if export.include_emails and not console.can_export_emails(request.user):
        raise PermissionDenied(_("This export holds emails; it needs the email permission."))


@staff_console
@require_GET
def export_detail(request, pk):
    export = get_object_or_404(UserExport, pk=pk)
    _check_may_read(request, export)
    link = ""
    if export.status == UserExport.Status.DONE and export.file:
        link = reverse(
            "moderation:console_export_download",
            kwargs={"pk": export.pk, "token": exports.download_token(export)},
        )
    return render(
        request,
        "moderation/console/export.html",
        {
            "export": export,
            "link": link,
            "working": export.status in (UserExport.Status.PENDING, UserExport.Status.RUNNING),
            "percent": (
                int(100 * export.rows_written / export.total_rows) if export.total_rows else 0
            ),
        },
    )


@staff_console
@require_GET
def export_download(request, pk, token):
    export = get_object_or_404(UserExport, pk=pk)
    _check_may_read(request, export)
    if not exports.export_from_token(token, export.pk):
        raise PermissionDenied(
            _("This download link is not valid any more; open the export again.")
        )
    if export.status != UserExport.Status.DONE or not export.file:
        return HttpResponse(_("This export file was deleted."), status=410)
    return FileResponse(
        default_storage.open(export.file.name, "rb"),
        as_attachment=True,
        filename=f"members-{export.pk}.csv",
        content_type="text/csv; charset=utf-8",
    )


@staff_console
@require_GET
def member_detail(request, pk):
    member = get_object_or_404(console.members_annotated(), pk=pk)
    history = CoreFlagChange.objects.filter(user=member)[:50]
    return render(
        request,
        "moderation/console/member.html",
        {
            "member": member,
            "history": history,
            "form": CoreLockForm(initial={"lock": member.core_lock}),
        },
    )


@staff_console
@require_POST
def member_core_lock(request, pk):
    member = get_object_or_404(User, pk=pk)
    form = CoreLockForm(request.POST)
    if form.is_valid():
        try:
            console_actions.core_flag_lock(
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
