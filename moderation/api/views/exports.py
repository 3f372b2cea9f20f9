"""Member exports over the API (moderation.views.exports): asking for one starts the
console's Celery job (moderation.write_user_export); the export shows the job's progress
and, once written, a signed link that expires (EXPORT_LINK_MAX_AGE) and serves the CSV to
staff only (and, for an export with emails, to those with the email permission)."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions
from rest_framework.response import Response

from config.api_schema import api_doc
from config.http import client_ip
from moderation import permissions, selectors, services
from moderation.api import serializers as s
from moderation.api.views._common import STAFF_TAG, SignedInView, body, form_valid, valid
from moderation.api.views.console import member_filter_form
from moderation.models import UserExport

STAFF = "Staff; an export with emails needs the email permission (to ask and to read)."


def _export_data(export: UserExport) -> dict:
    context = {}
    if export.status == UserExport.Status.DONE and export.file:
        context = {
            "download_url": reverse(
                "api:staff_export_download",
                kwargs={"export_id": export.pk, "token": selectors.download_token(export)},
            ),
            "download_expires_in": settings.POPCORN["EXPORT_LINK_MAX_AGE"],
        }
    return s.ExportOut(export, context=context).data


class Exports(SignedInView):
    @api_doc(
        tag=STAFF_TAG,
        summary="Export members as CSV",
        permission=STAFF,
        request=s.ExportIn,
        responses={202: s.ExportOut},
        errors=(400, 403),
        description=(
            "The console's member filter (the fields of GET /api/v1/staff/members/) and "
            "`emails`. A job writes the file: poll GET /api/v1/staff/exports/{export_id}/ "
            "for its progress, then follow its `download_url`. Audited."
        ),
    )
    def post(self, request):
        permissions.check_can_use_console(request.user)
        form = member_filter_form(body(request))  # the console's filter, its rules first
        form_valid(form)
        data = valid(s.ExportIn, request.data)
        export = services.export_start(
            actor=request.user,
            submitted=form.submitted(),
            include_emails=data["emails"],
            total_rows=selectors.members_filtered(form.filters()).count(),
            ip=client_ip(request),
            may_stream=False,
        )
        return Response(_export_data(UserExport.objects.get(pk=export.pk)), status=202)


class ExportDetail(SignedInView):
    @api_doc(
        tag=STAFF_TAG,
        summary="An export's progress and its download link",
        permission=STAFF,
        responses={200: s.ExportOut},
        errors=(403, 404),
        description=(
            "`status` moves from `pending` and `running` (with `rows_written` and "
            "`percent`) to `done`, with a fresh signed `download_url`, or `failed` with "
            "`error`. Files are deleted after EXPORT_KEEP_HOURS (`expired`)."
        ),
    )
    def get(self, request, export_id):
        permissions.check_can_use_console(request.user)
        export = get_object_or_404(UserExport, pk=export_id)
        permissions.check_can_read_export(request.user, export)
        return Response(_export_data(export))


class ExportDownload(SignedInView):
    @api_doc(
        tag=STAFF_TAG,
        summary="Download an export's CSV",
        permission=STAFF + " The link must be one handed out by the export, not expired.",
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.BINARY, description="UTF-8 CSV with a byte-order mark."
            )
        },
        errors=(403, 404),
        description="A forged or expired link is a 403: ask for the export again for a "
        "fresh one. A deleted file is a 404.",
    )
    def get(self, request, export_id, token):
        permissions.check_can_use_console(request.user)
        export = get_object_or_404(UserExport, pk=export_id)
        permissions.check_can_read_export(request.user, export)
        if not selectors.export_from_token(token, export.pk):
            raise exceptions.PermissionDenied(
                _("This download link is not valid any more; open the export again.")
            )
        if export.status != UserExport.Status.DONE or not export.file:
            raise exceptions.NotFound(_("This export file was deleted."))
        return FileResponse(
            default_storage.open(export.file.name, "rb"),
            as_attachment=True,
            filename=f"members-{export.pk}.csv",
            content_type="text/csv; charset=utf-8",
        )
