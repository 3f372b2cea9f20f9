"""Reads for the report and approval queues and a member's moderation history.

Each owns its joins, so a page costs the same number of queries for 5 items
as for 50. A queue shows only what lies in the viewer's moderation reach.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet

from forum.models import Post
from forum.permissions import ModerationReach, moderation_reach
from moderation.models import AuditLog, Report, ReportCase, ReportStatus

HISTORY_ROWS = 50


def _in_reach(rows, reach: ModerationReach, board_field: str):
    if reach.everywhere:
        return rows
    return rows.filter(**{f"{board_field}__in": reach.board_ids})


def open_cases(reach: ModerationReach):
    return _in_reach(ReportCase.objects.filter(is_open=True), reach, "post__thread__board_id")


def pending_posts(reach: ModerationReach):
    return _in_reach(Post.objects.filter(is_pending=True), reach, "thread__board_id")


@dataclass(frozen=True)
class QueueCounts:
    reports: int
    approvals: int

    @property
    def total(self) -> int:
        return self.reports + self.approvals


def queue_counts(user, *, reports: int | None = None, approvals: int | None = None):
    """Open report cases and posts awaiting approval in the user's boards (None: not a
    moderator). A count the caller already has is passed in and not asked again."""
    reach = moderation_reach(user)
    if not reach:
        return None
    if reports is None:
        reports = open_cases(reach).count()
    if approvals is None:
        approvals = pending_posts(reach).count()
    return QueueCounts(reports=reports, approvals=approvals)


def _page(rows, page: int):
    return Paginator(rows, settings.POPCORN["MOD_QUEUE_PER_PAGE"]).get_page(page)


def report_queue(reach: ModerationReach):
    """Open cases in reach, oldest first, each with its post, thread, board, author and
    (in one more query for a whole page) its open reports as `open_reports`."""
    open_reports = Report.objects.filter(status=ReportStatus.OPEN).order_by("created_at", "pk")
    return (
        open_cases(reach)
        .select_related("post__thread__board", "post__author")
        .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="open_reports"))
        .order_by("first_reported_at", "pk")
    )


def with_reason_counts(cases: list) -> list:
    """Set each case's `reason_counts`: (label, count) of its open reports, most first."""
    for case in cases:
        reasons: dict[str, int] = {}
        for report in case.open_reports:
            label = report.get_reason_display()
            reasons[label] = reasons.get(label, 0) + 1
        case.reason_counts = sorted(reasons.items(), key=lambda item: -item[1])
    return cases


def report_queue_page(reach: ModerationReach, *, page: int):
    """One page of report_queue: a COUNT, the page, and one query for all its reports."""
    result = _page(report_queue(reach), page)
    result.object_list = with_reason_counts(list(result.object_list))
    return result


def approval_queue(reach: ModerationReach):
    """Held threads and replies in reach, oldest first, with thread, board and author."""
    return (
        pending_posts(reach).select_related("thread__board", "author").order_by("created_at", "pk")
    )


def approval_queue_page(reach: ModerationReach, *, page: int):
    """One page of approval_queue: a COUNT and the page."""
    return _page(approval_queue(reach), page)


@dataclass
class MemberHistory:
    reports_against: list
    actions: list
    sanctions: list
    reports_filed: dict


@dataclass
class MemberHistoryRows:
    """The querysets of a member's history, newest first (member_history takes the
    latest HISTORY_ROWS of each; the API pages through them)."""

    reports_against: QuerySet
    actions: QuerySet
    sanctions: QuerySet


def member_history_rows(member, *, viewer) -> MemberHistoryRows:
    """Reports against their posts, actions on their content, actions on their account
    (suspensions, silences, warnings), each newest first, in the viewer's reach.

    A board moderator sees what happened in their boards, and every action on
    the account itself (those apply site-wide).
    """
    reach = moderation_reach(viewer)
    against = _in_reach(
        Report.objects.filter(post__author=member), reach, "post__thread__board_id"
    ).select_related("post__thread__board")
    actions = _in_reach(
        AuditLog.objects.filter(subject=member).exclude(target_type=AuditLog.TargetType.USER),
        reach,
        "board_id",
    ).select_related("board")
    on_account = AuditLog.objects.filter(
        subject=member, target_type=AuditLog.TargetType.USER
    ).select_related("board")
    return MemberHistoryRows(
        reports_against=against.order_by("-created_at", "-pk"),
        actions=actions.order_by("-created_at", "-id"),
        sanctions=on_account.order_by("-created_at", "-id"),
    )


def reports_filed(member) -> dict:
    """How a member's own reports fared: total, upheld, dismissed (one query)."""
    return Report.objects.filter(reporter=member).aggregate(
        total=Count("pk"),
        upheld=Count("pk", filter=Q(status=ReportStatus.UPHELD)),
        dismissed=Count("pk", filter=Q(status=ReportStatus.DISMISSED)),
    )


def member_history(member, *, viewer) -> MemberHistory:
    """What moderators need to judge a member, newest first, in four queries:
    the latest HISTORY_ROWS of each of member_history_rows, and reports_filed."""
    rows = member_history_rows(member, viewer=viewer)
    return MemberHistory(
        reports_against=list(rows.reports_against[:HISTORY_ROWS]),
        actions=list(rows.actions[:HISTORY_ROWS]),
        sanctions=list(rows.sanctions[:HISTORY_ROWS]),
        reports_filed=reports_filed(member),
    )
