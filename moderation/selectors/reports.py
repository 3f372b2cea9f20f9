"""Reads about members' reports that both the pages and the writes need."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from moderation.models import Report, ReportStatus


def report_refused_until(reporter) -> datetime | None:
    """When a reporter with too many dismissed reports may report again (None: now).

    REPORTS_DISMISSED_LIMIT dismissals within the window refuse further
    reports until the oldest of the latest LIMIT leaves the window. One query
    on the (reporter, status, resolved_at) index.
    """
    limit = settings.POPCORN["REPORTS_DISMISSED_LIMIT"]
    window = timedelta(days=settings.POPCORN["REPORTS_DISMISSED_WINDOW_DAYS"])
    latest = list(
        Report.objects.filter(
            reporter=reporter,
            status=ReportStatus.DISMISSED,
            resolved_at__gt=timezone.now() - window,
        )
        .order_by("-resolved_at")
        .values_list("resolved_at", flat=True)[:limit]
    )
    if len(latest) < limit:
        return None
    return latest[-1] + window
