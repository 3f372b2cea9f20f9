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
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.levels import all_levels
from accounts.models import DailyActivity, Device, MembershipState, ProgramMembership, User
from moderation.models import UserExport
from moderation.selectors.console import (
    MEMBER_FILTERS,
    NEVER_SEEN,
    WINDOW_DAYS,
    members_annotated,
    members_ordering,
)

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


def _when(value, zone=None) -> str:
    # astimezone + isoformat are C; localtime + strftime cost a tenth of a row's time.
    if not value:
        return ""
    return value.astimezone(zone or timezone.get_current_timezone()).isoformat(" ", "minutes")[:16]


def _level_namer():
    """level name by reputation, with the levels read once per export rather than per row."""
    levels = [(level.threshold, str(level.name)) for level in all_levels()]
    thresholds = [threshold for threshold, _name in levels]

    def name(reputation: int) -> str:
        return levels[max(0, bisect_right(thresholds, reputation) - 1)][1]

    return name


def _cells(row, include_emails: bool, level_name, yes: str, no: str, zone=None) -> list[str]:
    """A member's cells in COLUMNS' order (the email left out unless asked for)."""
    values = [
        row.pk,
        row.username,
        row.email,
        level_name(row.reputation),
        row.reputation,
        row.days_active_30,
        row.posts_30,
        row.likes_received_30,
        " ".join(row.device_codes),
        _when(row.date_joined, zone),
        _when(row.last_seen_at, zone),
        " ".join(row.program_slugs),
        yes if row.is_core else no,
        row.display_name,
        NAMES_SEPARATOR.join(row.device_names),
    ]
    if not include_emails:
        del values[2]
    return [neutralise(value) for value in values]


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
        zone = timezone.get_current_timezone()
        for user in users:
            yield writer.writerow(_cells(user, include_emails, level_name, yes, no, zone))

    return lines()


# The member columns an export reads; the rest of the row is fetched per page.
ROW_FIELDS = (
    "pk",
    "username",
    "email",
    "reputation",
    "date_joined",
    "last_seen_at",
    "is_core",
    "display_name",
)
# The 30-day figures: per-member subqueries when a filter or the sort needs them for
# every member, else one grouped query over each page's members.
FIGURES = ("days_active_30", "posts_30", "likes_received_30")
FIGURE_FILTERS = ("days_active_min", "posts_min")


class ExportRow:
    """One member's line of an export: the columns, their 30-day figures, devices, programs."""

    __slots__ = (*ROW_FIELDS, *FIGURES, "device_codes", "device_names", "program_slugs")

    def __init__(self, values: dict):
        for name in self.__slots__:
            setattr(self, name, values.get(name, ()))


def _needs_figures(filters: dict, sort: str) -> bool:
    column, _tie = members_ordering(sort)
    in_filter = any(filters.get(name) not in (None, "") for name in FIGURE_FILTERS)
    return in_filter or column.lstrip("-") in FIGURES


def _page_extras(ids: list[int], first_day) -> tuple[dict, dict, dict]:
    """The page's 30-day figures, devices and programs: three queries for the whole page."""
    figures = {
        row.pop("user"): row
        for row in DailyActivity.objects.filter(user__in=ids, day__gte=first_day)
        .values("user")
        .annotate(
            # Columns of the covering (user, day) index only, for an index-only scan.
            days_active_30=Count("day", filter=Q(visited=True)),
            posts_30=Sum("posts"),
            likes_received_30=Sum("likes_received"),
        )
        .order_by()
    }
    devices: dict[int, tuple[list, list]] = {}
    owned = User.devices.through.objects.filter(user__in=ids)
    # Each member's devices in the catalogue's order, as the console lists them.
    by_catalogue = ("user", *(f"device__{field}" for field in Device._meta.ordering))
    for user_id, code, brand, model in owned.order_by(*by_catalogue).values_list(
        "user", "device__codename", "device__brand", "device__model"
    ):
        codes, names = devices.setdefault(user_id, ([], []))
        codes.append(code)
        names.append(f"{brand} {model}")
    programs: dict[int, list] = {}
    joined = ProgramMembership.objects.filter(user__in=ids, state=MembershipState.ACCEPTED)
    for user_id, slug in joined.order_by("user", "program__slug").values_list(
        "user", "program__slug"
    ):
        programs.setdefault(user_id, []).append(slug)
    return figures, devices, programs


def export_rows(filters: dict, sort: str) -> Iterator[ExportRow]:
    """The filtered members in the export's order, read page by page by key.

    Each page is one ordinary query, `(sort column, id) after the last row's ... LIMIT n`
    reading only the exported columns, and its 30-day figures, devices and programs
    come from one query each for the page's members: no cursor stays open between
    pages (it works behind PgBouncer in transaction mode), no subquery runs per
    member, and memory holds one page.
    """
    chunk = settings.POPCORN["EXPORT_CHUNK_ROWS"]
    first_day = timezone.localdate() - timedelta(days=WINDOW_DAYS - 1)
    column, tie = members_ordering(sort)
    name = column.lstrip("-")
    with_figures = _needs_figures(filters, sort)
    if with_figures:
        rows = members_annotated()
    else:
        rows = User.objects.annotate(last_seen_sort=Coalesce("last_seen_at", Value(NEVER_SEEN)))
    for field, narrow in MEMBER_FILTERS.items():
        value = filters.get(field)
        if value not in (None, ""):
            rows = narrow(rows, value)
    fields = (*ROW_FIELDS, *(FIGURES if with_figures else ()), *({name} - set(ROW_FIELDS)))
    rows = rows.order_by(column, tie).values(*fields)
    after = "lt" if column.startswith("-") else "gt"
    last = None
    while True:
        page = rows
        if last is not None:
            value, pk = last
            # "(column, id) after (value, pk)", with the column's bound first on its own:
            # the OR alone is no index range, and every page would scan from the start.
            page = page.filter(
                Q(**{f"{name}__{after[:2]}e": value}),
                Q(**{f"{name}__{after}": value}) | Q(**{f"pk__{after}": pk}),
            )
        members = list(page[:chunk])
        if not members:
            return
        figures, devices, programs = _page_extras([m["pk"] for m in members], first_day)
        for member in members:
            pk = member["pk"]
            if not with_figures:
                counted = figures.get(pk, {})
                for figure in FIGURES:
                    member[figure] = counted.get(figure) or 0
            member["device_codes"], member["device_names"] = devices.get(pk, ((), ()))
            member["program_slugs"] = programs.get(pk, ())
            yield ExportRow(member)
        if len(members) < chunk:
            return
        last = (members[-1][name], members[-1]["pk"])


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
