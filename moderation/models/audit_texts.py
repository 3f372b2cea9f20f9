"""The audit log's details as readable lines, worded when read, in the reader's language.

Rows keep their before/after states as JSON (what was true, for the record);
these turn them into lines such as "pinned: no → yes" or "silenced until:
1 December 2026 18:30", with field names and codes (a bug status, a
membership state) translated, and times in the site's time zone.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import (
    CoreLock,
    MembershipState,
    Program,
    ProgramApplyRules,
    WatchedWordAction,
    WatchedWordKind,
)
from forum.models import BugStatus, FeedbackStatus

from .reports import ReportStatus

FIELD_LABELS = {
    "is_pinned": gettext_lazy("pinned"),
    "is_announcement": gettext_lazy("site-wide announcement"),
    "is_locked": gettext_lazy("locked"),
    "poll_closed": gettext_lazy("poll closed"),
    "is_featured": gettext_lazy("featured"),
    "bug_status": gettext_lazy("bug status"),
    "fixed_in_version": gettext_lazy("fixed in version"),
    "slow_mode_seconds": gettext_lazy("slow mode"),
    "fixed_in_release": gettext_lazy("release-notes thread"),
    "feedback_status": gettext_lazy("feedback status"),
    "status_reason": gettext_lazy("reason for the status"),
    "duplicate_of": gettext_lazy("duplicate of thread"),
    "votes_moved": gettext_lazy("“me too” moved"),
    "is_hidden": gettext_lazy("hidden"),
    "hidden_by": gettext_lazy("hidden by"),
    "reason": gettext_lazy("reason"),
    "is_helpful": gettext_lazy("marked helpful"),
    "pending": gettext_lazy("awaiting approval"),
    "posted_at": gettext_lazy("posted"),
    "floor": gettext_lazy("floor"),
    "board": gettext_lazy("board"),
    "board_id": gettext_lazy("board number"),
    "section": gettext_lazy("section"),
    "section_id": gettext_lazy("section number"),
    "notice_id": gettext_lazy("notice left behind"),
    "thread_id": gettext_lazy("thread number"),
    "merged_into": gettext_lazy("merged into thread"),
    "new_thread_id": gettext_lazy("new thread"),
    "title": gettext_lazy("title"),
    "posts": gettext_lazy("posts"),
    "threads": gettext_lazy("threads"),
    "by_self": gettext_lazy("by the member themselves"),
    "post_ids": gettext_lazy("post numbers"),
    "floors": gettext_lazy("floors"),
    "core": gettext_lazy("core user"),
    "lock": gettext_lazy("lock"),
    "filter": gettext_lazy("filter"),
    "rows": gettext_lazy("rows"),
    "emails": gettext_lazy("with email addresses"),
    "streamed": gettext_lazy("sent at once"),
    "is_global_moderator": gettext_lazy("global moderator"),
    "until": gettext_lazy("until"),
    "permanent": gettext_lazy("permanent"),
    "automatic": gettext_lazy("automatic"),
    "warnings": gettext_lazy("warnings"),
    "open_reports": gettext_lazy("open reports"),
    "resolution": gettext_lazy("resolution"),
    "suspend_days": gettext_lazy("suspended for (days)"),
    "program": gettext_lazy("program number"),
    "program_name": gettext_lazy("program"),
    "invited": gettext_lazy("invited"),
    "chosen": gettext_lazy("chosen"),
    "state": gettext_lazy("state"),
    "devices": gettext_lazy("devices"),
    "conversation": gettext_lazy("conversation number"),
    "report": gettext_lazy("report number"),
    "reports": gettext_lazy("reports closed"),
    "application": gettext_lazy("application number"),
    "questions": gettext_lazy("application questions"),
    "quiz": gettext_lazy("quiz questions"),
    "pattern": gettext_lazy("word or pattern"),
    "kind": gettext_lazy("kind"),
    "action": gettext_lazy("action"),
    "network": gettext_lazy("address range"),
    "domain": gettext_lazy("email domain"),
    "note": gettext_lazy("note"),
    "expires_at": gettext_lazy("expires"),
}
# Stored as a choice's code, shown as its label.
_CHOICES = {
    "bug_status": BugStatus,
    "feedback_status": FeedbackStatus,
    "state": MembershipState,
    "resolution": ReportStatus,
    "lock": CoreLock,
    "status": Program.Status,
    "kind": WatchedWordKind,
    "action": WatchedWordAction,
}
# Stored as ISO times.
_MOMENTS = {"until", "posted_at", "starts_at", "ends_at", "expires_at"}


def _label(name: str) -> str:
    if name in FIELD_LABELS:
        return str(FIELD_LABELS[name])
    try:  # a program's own fields (its snapshot when created or changed)
        return str(Program._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        pass
    try:  # a programme's application rules
        return str(ProgramApplyRules._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name.replace("_", " ")


def _moment(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "DATETIME_FORMAT")


def _value(name: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "lock" and value == "none":
        return str(CoreLock.NONE.label)
    if name in _CHOICES and isinstance(value, str):
        try:
            return str(_CHOICES[name](value).label)
        except ValueError:
            return value
    if name in _MOMENTS and isinstance(value, str):
        return _moment(value)
    if name == "slow_mode_seconds" and isinstance(value, int):
        if not value:
            return _("off")
        return ngettext("%(n)d second", "%(n)d seconds", value) % {"n": value}
    if name == "chosen" and value in ("all", "all candidates"):
        return _("all candidates")
    if isinstance(value, list):
        return ", ".join(_value(name, item) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{_label(key)}: {_value(key, item)}" for key, item in value.items())
    return str(value)


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None: not part of the earlier state
    after: str | None  # None: not part of the later state

    def __str__(self) -> str:
        if self.before is None:
            return _("%(field)s: %(value)s") % {"field": self.label, "value": self.after}
        if self.after is None or self.after == self.before:
            return _("%(field)s: %(value)s") % {"field": self.label, "value": self.before}
        return _("%(field)s: %(before)s → %(after)s") % {
            "field": self.label,
            "before": self.before,
            "after": self.after,
        }


_ORDER = {name: position for position, name in enumerate(FIELD_LABELS)}


def audit_changes(before: dict | None, after: dict | None) -> list[Change]:
    """One line per field of the before and after states, in FIELD_LABELS' order
    (PostgreSQL's jsonb keeps no order of its own), other fields after them by name.

    A state that is not a dict (never written so, but JSON allows it) is one line.
    """
    if not isinstance(before, dict | None) or not isinstance(after, dict | None):
        return [Change(_("change"), _value("", before), _value("", after))]
    before, after = before or {}, after or {}
    names = sorted({*before, *after}, key=lambda name: (_ORDER.get(name, len(_ORDER)), name))
    return [
        Change(
            _label(name),
            _value(name, before[name]) if name in before else None,
            _value(name, after[name]) if name in after else None,
        )
        for name in names
    ]


def export_label(rows) -> str:
    """An export's name in the log, from its row count (not the label stored in the
    exporter's language)."""
    if not isinstance(rows, int):
        return _("Members CSV")
    return ngettext("Members CSV, %(rows)d row", "Members CSV, %(rows)d rows", rows) % {
        "rows": rows
    }
