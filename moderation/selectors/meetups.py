"""A meetup's sign-up list as CSV: BOM first (spreadsheets read UTF-8 then), every cell
through the export's formula guard."""

import csv
from collections.abc import Iterable, Iterator

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from moderation.selectors.exports import BOM, _Line, neutralise


def signups_csv_lines(event, signups: Iterable) -> Iterator[str]:
    """Header then one line per sign-up, worded now in the caller's language."""
    header = [
        _("username"),
        _("status"),
        _("signed up"),
        _("checked in"),
        *[str(question) for question in event.questions],
    ]
    header = [neutralise(cell) for cell in header]

    def when(value) -> str:
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i") if value else ""

    def lines() -> Iterator[str]:
        writer = csv.writer(_Line())
        yield BOM + writer.writerow(header)
        for signup in signups:
            answers = list(signup.answers or [])
            answers += [""] * (len(event.questions) - len(answers))
            cells = [
                signup.user_name,
                str(signup.get_status_display()),
                when(signup.created_at),
                when(signup.checked_in_at),
                *answers[: len(event.questions)],
            ]
            yield writer.writerow([neutralise(cell) for cell in cells])

    return lines()
