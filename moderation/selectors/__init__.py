"""Moderation's reads (log, queues, console, exports, reports, sanctions, moderators):
import them from here."""

from moderation.selectors.audit import (
    LOG_PAGE_SIZE,
    audit_log_boards,
    audit_log_page,
    audit_log_visible_to,
)
from moderation.selectors.console import (
    MEMBER_FILTERS,
    SORTS,
    WINDOW_DAYS,
    Chart,
    Dashboard,
    Series,
    chart_rows,
    dashboard,
    line_chart,
    members_annotated,
    members_filtered,
)
from moderation.selectors.exports import (
    BOM,
    COLUMNS,
    FORMULA_STARTS,
    LINK_SALT,
    columns,
    csv_lines,
    download_token,
    export_from_token,
    export_rows,
    export_stream,
    neutralise,
)
from moderation.selectors.moderators import (
    ModeratorRoster,
    appointment_boards,
    appointment_sections,
    moderator_roster,
)
from moderation.selectors.queues import (
    HISTORY_ROWS,
    MemberHistory,
    QueueCounts,
    approval_queue_page,
    member_history,
    open_cases,
    pending_posts,
    queue_counts,
    report_queue_page,
)
from moderation.selectors.reports import (
    report_refused_until,
)
from moderation.selectors.sanctions import (
    recent_warning_count,
)

__all__ = [
    "BOM",
    "COLUMNS",
    "FORMULA_STARTS",
    "HISTORY_ROWS",
    "LINK_SALT",
    "LOG_PAGE_SIZE",
    "MEMBER_FILTERS",
    "SORTS",
    "WINDOW_DAYS",
    "Chart",
    "Dashboard",
    "MemberHistory",
    "ModeratorRoster",
    "QueueCounts",
    "Series",
    "appointment_boards",
    "appointment_sections",
    "approval_queue_page",
    "audit_log_boards",
    "audit_log_page",
    "audit_log_visible_to",
    "chart_rows",
    "columns",
    "csv_lines",
    "dashboard",
    "download_token",
    "export_from_token",
    "export_rows",
    "export_stream",
    "line_chart",
    "member_history",
    "members_annotated",
    "members_filtered",
    "moderator_roster",
    "neutralise",
    "open_cases",
    "pending_posts",
    "queue_counts",
    "recent_warning_count",
    "report_queue_page",
    "report_refused_until",
]
