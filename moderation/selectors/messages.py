"""The reported-messages queue: one row per report, oldest open first, paged by key."""

from django.conf import settings

from config.paging import keyset_page
from moderation.models import MessageReport, ReportStatus


def open_message_reports():
    # No message text here: a moderator reads a message only by opening its report.
    return MessageReport.objects.filter(status=ReportStatus.OPEN)


def message_report_page(*, after: str | None = None):
    return keyset_page(
        open_message_reports(),
        ordering=("created_at", "id"),
        after=after,
        size=settings.POPCORN["MOD_QUEUE_PER_PAGE"],
    )
