"""Member exports from the staff console: the writes (CSV rows come from
moderation.selectors.exports).

Every export is a UserExport row plus an audit-log row, written together; only
staff with the moderation.export_emails permission get the email column. A
large export is written by a job, queued by name after commit; its file is
deleted after EXPORT_KEEP_HOURS.
"""

import tempfile
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import get_language

from accounts.models import User
from config.jobs import enqueue_on_commit
from moderation.models import AuditLog, UserExport
from moderation.permissions import check_can_export
from moderation.selectors.exports import csv_lines, export_rows
from moderation.services.audit import audit_record


@transaction.atomic
def export_start(
    *,
    actor: User,
    submitted: dict,
    include_emails: bool,
    total_rows: int,
    ip: str | None = None,
    may_stream: bool = True,
) -> UserExport:
    """Record an export (and audit it); a job writes it when it is too large to stream,
    or always with may_stream=False (the API: a job, its progress, a signed link).

    Returns the UserExport; `streamed` says whether the caller streams it now.
    """
    check_can_export(actor, include_emails=include_emails)
    streamed = may_stream and total_rows <= settings.POPCORN["EXPORT_STREAM_MAX_ROWS"]
    now = timezone.now()
    export = UserExport.objects.create(
        requested_by=actor,
        requested_by_name=actor.username,
        filters=submitted,
        include_emails=include_emails,
        streamed=streamed,
        status=UserExport.Status.DONE if streamed else UserExport.Status.PENDING,
        total_rows=total_rows,
        rows_written=total_rows if streamed else 0,
        created_at=now,
        finished_at=now if streamed else None,
    )
    audit_record(
        actor=actor,
        action=AuditLog.Action.USERS_EXPORT,
        target_type=AuditLog.TargetType.EXPORT,
        target_id=export.pk,
        # The log names it from after["rows"] in its reader's language (AuditLog.target_text).
        target_label="members.csv",
        after={
            "filter": submitted,
            "rows": total_rows,
            "emails": include_emails,
            "streamed": streamed,
        },
        ip=ip,
    )
    if not streamed:
        # The job writes the headers in the language of the staff member who asked.
        enqueue_on_commit("moderation.write_user_export", export.pk, language=get_language())
    return export


_FINISHED = (UserExport.Status.DONE, UserExport.Status.EXPIRED)


def export_fail(*, export_id: int, error: str) -> UserExport | None:
    """Mark a waiting export failed, e.g. when its filter no longer validates (the
    chosen device or program was deleted since): never widen the export to
    everyone (and their emails) by dropping the filter."""
    export = UserExport.objects.filter(pk=export_id).first()
    if export is None or export.status in _FINISHED:
        return export
    UserExport.objects.filter(pk=export.pk).update(
        status=UserExport.Status.FAILED, error=error[:500], finished_at=timezone.now()
    )
    export.refresh_from_db()
    return export


def export_write(*, export_id: int, filters: dict, sort: str) -> UserExport | None:
    """Write a pending export's file through the storage; rerunning starts it afresh.

    `filters` and `sort` are the export's filter as the job validated it again.
    """
    export = UserExport.objects.filter(pk=export_id).first()
    if export is None or export.status in _FINISHED:
        return export
    UserExport.objects.filter(pk=export.pk).update(
        status=UserExport.Status.RUNNING, rows_written=0, error=""
    )
    every = settings.POPCORN["EXPORT_CHUNK_ROWS"]
    written = 0
    try:
        with tempfile.TemporaryFile("w+b") as spool:
            for number, line in enumerate(
                csv_lines(export_rows(filters, sort), include_emails=export.include_emails)
            ):
                spool.write(line.encode("utf-8"))
                written = number  # the header is line 0
                if number and number % every == 0:
                    UserExport.objects.filter(pk=export.pk).update(rows_written=written)
            spool.seek(0)
            name = default_storage.save(
                f"exports/members-{export.pk}-{get_random_string(16)}.csv", File(spool)
            )
    except Exception as exc:
        UserExport.objects.filter(pk=export.pk).update(
            status=UserExport.Status.FAILED, error=str(exc)[:500]
        )
        raise
    # Exactly once, should two runs overlap (a worker thought dead, its task handed on):
    # the first to finish keeps its file and sends the mail; the other drops its file.
    finished = (
        UserExport.objects.filter(pk=export.pk)
        .exclude(status__in=_FINISHED)
        .update(
            status=UserExport.Status.DONE,
            file=name,
            rows_written=written,
            total_rows=written,
            finished_at=timezone.now(),
        )
    )
    export.refresh_from_db()
    if not finished:
        default_storage.delete(name)
        return export
    enqueue_on_commit("moderation.send_export_ready_email", export.pk)
    return export


def exports_delete_old(*, now: datetime | None = None) -> int:
    """Delete export files older than EXPORT_KEEP_HOURS; returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.POPCORN["EXPORT_KEEP_HOURS"])
    old = UserExport.objects.filter(created_at__lt=cutoff).exclude(status=UserExport.Status.EXPIRED)
    count = 0
    # Only the few exports of the last cleanup interval: files, not members.
    for export in old.only("pk", "file"):
        if export.file:
            default_storage.delete(export.file.name)
        UserExport.objects.filter(pk=export.pk).update(status=UserExport.Status.EXPIRED, file="")
        count += 1
    return count
