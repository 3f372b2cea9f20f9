"""Member exports from the console: streamed at once, or written by a job and
downloaded by a signed link. Staff only; the email column needs its own permission."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.http import client_ip
from moderation import permissions, selectors, services
from moderation.forms.console import CoreUserFilterForm
from moderation.models import UserExport
from moderation.views.console import staff_console


@staff_console
@require_POST
def members_export(request):
    form = CoreUserFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        lines = [f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()]
        return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")
    include_emails = request.POST.get("emails") == "1"
    total = selectors.members_filtered(form.filters(), sort=form.ordering()).count()
    export = services.export_start(
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
        selectors.export_stream(export=export, filters=form.filters(), sort=form.ordering()),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="members-{export.pk}.csv"'
    return response


def _progress(export: UserExport) -> dict:
    """Where the export stands: rows written of the total while the job works, then the link."""
    link = ""
    if export.status == UserExport.Status.DONE and export.file:
        link = reverse(
            "moderation:console_export_download",
            kwargs={"pk": export.pk, "token": selectors.download_token(export)},
        )
    return {
        "export": export,
        "link": link,
        "working": export.status in (UserExport.Status.PENDING, UserExport.Status.RUNNING),
        "percent": export.percent,
    }


@staff_console
@require_GET
def export_detail(request, pk):
    export = get_object_or_404(UserExport, pk=pk)
    permissions.check_can_read_export(request.user, export)
    return render(request, "moderation/exports/detail.html", _progress(export))


@staff_console
@require_GET
def export_progress(request, pk):
    """The progress fragment the export page polls every 2 s (htmx) until the file is ready:
    once it is, the fragment it returns polls no more and holds the download link."""
    export = get_object_or_404(UserExport, pk=pk)
    permissions.check_can_read_export(request.user, export)
    return render(request, "moderation/exports/_progress.html", _progress(export))


@staff_console
@require_GET
def export_download(request, pk, token):
    export = get_object_or_404(UserExport, pk=pk)
    permissions.check_can_read_export(request.user, export)
    if not selectors.export_from_token(token, export.pk):
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
