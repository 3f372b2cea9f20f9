"""Member exports from the staff console: CSV, streamed or written by a job.

CSV is UTF-8 with a byte-order mark so spreadsheet programs show Chinese
names; cells that a spreadsheet would run as a formula are neutralised. Rows
come from the database in chunks (iterator(chunk_size=...)) and leave as they
are made, so memory stays flat at any size. Every export is a UserExport row
plus an audit-log row, written together; only staff with the
moderation.export_emails permission get the email column. A job's file is
reached by a signed link that expires, and deleted after EXPORT_KEEP_HOURS.
"""

import csv
import tempfile
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from accounts.levels import all_levels
from moderation.forms.console import CoreUserFilterForm
from moderation.models import AuditLog, UserExport
from moderation.selectors import console
from moderation.services.actions import audit_record

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@")
LINK_SALT = "moderation.export.download"

COLUMNS = [
    ("id", "id"),
    ("username", "username"),
    ("email", "email"),
    ("level", "level"),
    ("reputation", "reputation"),
    ("days_active_30d", "days active (30d)"),
    ("posts_30d", "posts (30d)"),
    ("likes_received_30d", "likes received (30d)"),
    ("devices", "devices"),
    ("joined", "joined"),
    ("last_seen", "last seen"),
    ("programs", "programs"),
    ("core", "core flag"),
]


def neutralise(value) -> str:
    """A cell as text; one starting like a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def columns(include_emails: bool) -> list[tuple[str, str]]:
    return [c for c in COLUMNS if include_emails or c[0] != "email"]


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _level_namer():
    """level name by reputation, with the levels read once per export rather than per row."""
    levels = [(level.threshold, level.name) for level in all_levels()]
    thresholds = [threshold for threshold, _name in levels]

    def name(reputation: int) -> str:
        return levels[max(0, bisect_right(thresholds, reputation) - 1)][1]

    return name


def _cells(user, include_emails: bool, level_name) -> list[str]:
    values = {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "level": level_name(user.reputation),
        "reputation": user.reputation,
        "days_active_30d": user.days_active_30,
        "posts_30d": user.posts_30,
        "likes_received_30d": user.likes_received_30,
        "devices": " ".join(d.codename for d in user.devices.all()),
        "joined": _when(user.date_joined),
        "last_seen": _when(user.last_seen_at),
        "programs": " ".join(m.program.slug for m in user.programs_joined),
        "core": "yes" if user.is_core else "no",
    }
    return [neutralise(values[key]) for key, _label in columns(include_emails)]


class _Line:
    """A file-like csv.writer target that hands back the line just written."""

    def write(self, value: str) -> str:
        return value


def csv_lines(users: Iterable, *, include_emails: bool) -> Iterator[str]:
    """The CSV one line at a time: the BOM and header, then one line per member."""
    writer = csv.writer(_Line())
    level_name = _level_namer()
    yield BOM + writer.writerow([label for _key, label in columns(include_emails)])
    for user in users:
        yield writer.writerow(_cells(user, include_emails, level_name))


def export_rows(filters: dict, sort: str):
    """The filtered members, read from the database in chunks."""
    chunk = settings.POPCORN["EXPORT_CHUNK_ROWS"]
    return console.members_filtered(filters, sort=sort).iterator(chunk_size=chunk)


def _form(submitted: dict) -> CoreUserFilterForm:
    return CoreUserFilterForm(submitted)


def _check(actor, include_emails: bool) -> None:
    if not console.can_use_console(actor):
        raise PermissionDenied(_("The console is for staff."))
    if include_emails and not console.can_export_emails(actor):
        raise PermissionDenied(_("Exporting emails needs its own permission."))


@transaction.atomic
def export_start(
    *, actor, submitted: dict, include_emails: bool, total_rows: int, ip: str | None = None
) -> UserExport:
    """Record an export (and audit it); a job writes it when it is too large to stream.

    Returns the UserExport; `streamed` says whether the caller streams it now.
    """
    _check(actor, include_emails)
    streamed = total_rows <= settings.POPCORN["EXPORT_STREAM_MAX_ROWS"]
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
        target_label=_("Members CSV, %(rows)d rows") % {"rows": total_rows},
        after={
            "filter": submitted,
            "rows": total_rows,
            "emails": include_emails,
            "streamed": streamed,
        },
        ip=ip,
    )
    if not streamed:
        from moderation.tasks import write_user_export

        transaction.on_commit(lambda: write_user_export.delay(export.pk))
    return export


def export_stream(export: UserExport) -> Iterator[str]:
    form = _form(export.filters)
    rows = export_rows(form.filters(), form.ordering())
    return csv_lines(rows, include_emails=export.include_emails)


def export_write(*, export_id: int) -> UserExport | None:
    """Write a pending export's file through the storage; rerunning starts it afresh."""
    export = UserExport.objects.filter(pk=export_id).first()
    if export is None or export.status in (UserExport.Status.DONE, UserExport.Status.EXPIRED):
        return export
    UserExport.objects.filter(pk=export.pk).update(
        status=UserExport.Status.RUNNING, rows_written=0, error=""
    )
    form = _form(export.filters)
    if not form.is_valid():
        # E.g. the chosen device or program was deleted since: never widen the
        # export to everyone (and their emails) by dropping the filter.
        errors = "; ".join(f"{field}: {' '.join(e)}" for field, e in form.errors.items())
        UserExport.objects.filter(pk=export.pk).update(
            status=UserExport.Status.FAILED, error=errors[:500], finished_at=timezone.now()
        )
        export.refresh_from_db()
        return export
    every = settings.POPCORN["EXPORT_CHUNK_ROWS"]
    written = 0
    try:
        with tempfile.TemporaryFile("w+b") as spool:
            for number, line in enumerate(
                csv_lines(
                    export_rows(form.filters(), form.ordering()),
                    include_emails=export.include_emails,
                )
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
    UserExport.objects.filter(pk=export.pk).update(
        status=UserExport.Status.DONE,
        file=name,
        rows_written=written,
        total_rows=written,
        finished_at=timezone.now(),
    )
    export.refresh_from_db()
    return export


def download_token(export: UserExport) -> str:
    return signing.dumps({"export": export.pk}, salt=LINK_SALT)


def export_from_token(token: str, export_id: int) -> bool:
    """Whether the token is a live signed link to this export."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=settings.POPCORN["EXPORT_LINK_MAX_AGE"])
    except signing.BadSignature:  # also SignatureExpired
        return False
    return data.get("export") == export_id


def exports_delete_old(*, now=None) -> int:
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
