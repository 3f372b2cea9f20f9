"""Member exports' reads: the CSV, line by line, and the signed download links.

CSV is UTF-8 with a byte-order mark so spreadsheet programs show Chinese
names; cells that a spreadsheet would run as a formula are neutralised. Rows
come from the database a page at a time, paged by key (export_rows), and leave as
they are made, so memory stays flat at any size. Every export is a UserExport row
plus an audit-log row, written together; only staff with the
moderation.export_emails permission get the email column. A job's file is
reached by a signed link that expires, and deleted after EXPORT_KEEP_HOURS.
"""

import csv
from bisect import bisect_right
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.levels import all_levels
from moderation.models import UserExport
from moderation.selectors.console import members_filtered, members_ordering

BOM = "\ufeff"
# What a spreadsheet may run as a formula (OWASP's list): a tab or carriage return
# first lets the rest of the cell be read as one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LINK_SALT = "moderation.export.download"

# (key, header): the header row is for people, in the language of whoever asked
# for the export; programs read the columns by position, which never changes: a new
# column is added at the end.
COLUMNS = [
    ("id", _("id")),
    ("username", _("username")),
    ("email", _("email")),
    ("level", _("level")),
    ("reputation", _("reputation")),
    ("days_active_30d", _("days active (30d)")),
    ("posts_30d", _("posts (30d)")),
    ("likes_received_30d", _("likes received (30d)")),
    ("devices", _("devices")),
    ("joined", _("joined")),
    ("last_seen", _("last seen")),
    ("programs", _("programs")),
    ("core", _("core flag")),
    ("display_name", _("display name")),
    ("device_names", _("device names")),
]
# Between the names in the devices' cells: device names have spaces of their own.
NAMES_SEPARATOR = "; "


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
    levels = [(level.threshold, str(level.name)) for level in all_levels()]
    thresholds = [threshold for threshold, _name in levels]

    def name(reputation: int) -> str:
        return levels[max(0, bisect_right(thresholds, reputation) - 1)][1]

    return name


def _cells(user, include_emails: bool, level_name, yes: str, no: str) -> list[str]:
    devices = list(user.devices.all())  # prefetched with the chunk
    values = {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "level": level_name(user.reputation),
        "reputation": user.reputation,
        "days_active_30d": user.days_active_30,
        "posts_30d": user.posts_30,
        "likes_received_30d": user.likes_received_30,
        "devices": " ".join(d.codename for d in devices),
        "joined": _when(user.date_joined),
        "last_seen": _when(user.last_seen_at),
        "programs": " ".join(m.program.slug for m in user.programs_joined),
        "core": yes if user.is_core else no,
        "display_name": user.display_name,
        "device_names": NAMES_SEPARATOR.join(str(d) for d in devices),
    }
    return [neutralise(values[key]) for key, _label in columns(include_emails)]


class _Line:
    """A file-like csv.writer target that hands back the line just written."""

    def write(self, value: str) -> str:
        return value


def csv_lines(users: Iterable, *, include_emails: bool) -> Iterator[str]:
    """The CSV one line at a time: the BOM and header, then one line per member.

    The words are translated now, in the caller's language: a streamed response
    is iterated after the view has returned.
    """
    header = [str(label) for _key, label in columns(include_emails)]
    level_name = _level_namer()
    yes, no = str(_("yes")), str(_("no"))

    def lines() -> Iterator[str]:
        writer = csv.writer(_Line())
        yield BOM + writer.writerow(header)
        for user in users:
            yield writer.writerow(_cells(user, include_emails, level_name, yes, no))

    return lines()


def export_rows(filters: dict, sort: str) -> Iterator:
    """The filtered members in the export's order, read page by page by key.

    Each page is one ordinary query, `(sort column, id) after the last row's ... LIMIT n`
    with its devices and programs prefetched, so no cursor stays open between pages:
    it works behind PgBouncer in transaction mode, and memory holds one page.
    """
    chunk = settings.POPCORN["EXPORT_CHUNK_ROWS"]
    rows = members_filtered(filters, sort=sort)
    column, _tie = members_ordering(sort)
    name = column.lstrip("-")
    after = "lt" if column.startswith("-") else "gt"
    last = None
    while True:
        page = rows
        if last is not None:
            value, pk = last
            page = page.filter(
                Q(**{f"{name}__{after}": value}) | Q(**{name: value, f"pk__{after}": pk})
            )
        users = list(page[:chunk])
        yield from users
        if len(users) < chunk:
            return
        last = (getattr(users[-1], name), users[-1].pk)


def export_stream(*, export: UserExport, filters: dict, sort: str) -> Iterator[str]:
    """A streamed export's CSV: `filters` and `sort` are its filter, validated by the view."""
    return csv_lines(export_rows(filters, sort), include_emails=export.include_emails)


def download_token(export: UserExport) -> str:
    return signing.dumps({"export": export.pk}, salt=LINK_SALT)


def export_from_token(token: str, export_id: int) -> bool:
    """Whether the token is a live signed link to this export."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=settings.POPCORN["EXPORT_LINK_MAX_AGE"])
    except signing.BadSignature:  # also SignatureExpired
        return False
    return data.get("export") == export_id
