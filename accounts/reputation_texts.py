"""What a reputation-ledger line says, worded when it is read, in the reader's language.

A line stores its reason, its source ("check-in:2026-11-30"), what it is about
(a thread title and floor) and a few parameters (a streak's length, an invitee's
name, the staff member who adjusted); never a finished sentence.
"""

from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

# reason: (sentence with a floor, sentence without); params: title, floor.
_ABOUT_A_POST = {
    "reply": (
        gettext_lazy("Reply in “%(title)s”, floor %(floor)s"),
        gettext_lazy("Reply in “%(title)s”"),
    ),
    "like": (
        gettext_lazy("Like on your post in “%(title)s”, floor %(floor)s"),
        gettext_lazy("Like on your post in “%(title)s”"),
    ),
    "helpful": (
        gettext_lazy("Your post in “%(title)s”, floor %(floor)s, was marked helpful"),
        gettext_lazy("Your post in “%(title)s” was marked helpful"),
    ),
    "content_removed": (
        gettext_lazy("Your post in “%(title)s”, floor %(floor)s, was removed after a report"),
        gettext_lazy("Your post in “%(title)s” was removed after a report"),
    ),
    "report_upheld": (
        gettext_lazy("Your report on “%(title)s”, floor %(floor)s, was upheld"),
        gettext_lazy("Your report on “%(title)s” was upheld"),
    ),
}
# reason: sentence; params: title.
_ABOUT_A_THREAD = {
    "thread": gettext_lazy("Started “%(title)s”"),
    "featured": gettext_lazy("“%(title)s” was featured"),
    "bug_confirmed": gettext_lazy("Bug report “%(title)s” was confirmed"),
    "meetup_attended": gettext_lazy("Checked in at the meetup “%(title)s”"),
}
_STREAK = ngettext_lazy(
    "Check-in streak: %(days)d day in a row", "Check-in streak: %(days)d days in a row", "days"
)


def _check_in_day(source: str) -> str:
    try:
        day = date.fromisoformat(source.split(":", 1)[1])
    except (IndexError, ValueError):
        return ""
    return formats.date_format(day, "DATE_FORMAT")


def _sentence(entry) -> str | None:
    reason, params = entry.reason, entry.title_params or {}
    title, floor = entry.target_title, entry.target_floor
    if reason in _ABOUT_A_POST and title:
        with_floor, without = _ABOUT_A_POST[reason]
        if floor:
            return with_floor % {"title": title, "floor": floor}
        return without % {"title": title}
    if reason in _ABOUT_A_THREAD and title:
        return _ABOUT_A_THREAD[reason] % {"title": title}
    if reason == "check_in":
        day = _check_in_day(entry.source)
        return _("Daily check-in on %(day)s") % {"day": day} if day else None
    if reason == "check_in_streak" and isinstance(params.get("days"), int):
        return _STREAK % {"days": params["days"]}
    if reason == "invitee_active" and params.get("name"):
        return _("%(name)s, whom you invited, became active") % {"name": params["name"]}
    if reason == "adjustment":
        by, note = params.get("by"), title
        if by and note:
            return _("Adjustment by %(by)s: %(note)s") % {"by": by, "note": note}
        if by:
            return _("Adjustment by %(by)s") % {"by": by}
        if note:
            return _("Adjustment by staff: %(note)s") % {"note": note}
    return None


def ledger_text(entry) -> str:
    """The line for a ReputationEntry in the active language.

    A line whose parameters do not fit its reason (a row written before keys)
    shows its reason's label and its stored title, as it always did.
    """
    sentence = _sentence(entry)
    if sentence is None:
        sentence = str(entry.get_reason_display())
        if entry.target_title:
            sentence = _("%(reason)s: %(title)s") % {
                "reason": sentence,
                "title": entry.target_title,
            }
    if entry.reverses_id:
        return _("Taken back: %(line)s") % {"line": sentence}
    return str(sentence)
