"""Reads of the moderation log; each owns its joins so page query counts stay fixed."""

from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Q

from config.days import day_start
from forum.models import Board
from forum.permissions import moderation_reach
from moderation.models import AuditLog

LOG_PAGE_SIZE = 50


SCREENING = (
    AuditLog.TargetType.WATCHED_WORD,
    AuditLog.TargetType.NETWORK_BAN,
    AuditLog.TargetType.DOMAIN_BAN,
)


def audit_log_visible_to(user):
    """Staff read the whole log; moderators the rows of the boards they moderate, and
    global moderators also the watched words' and bans' they keep.

    None when the user may not read the log at all.
    """
    if user.is_authenticated and user.is_active and user.is_staff:
        return AuditLog.objects.all()
    reach = moderation_reach(user)
    if reach.everywhere:
        return AuditLog.objects.filter(Q(board__isnull=False) | Q(target_type__in=SCREENING))
    if reach.board_ids:
        return AuditLog.objects.filter(board_id__in=reach.board_ids)
    return None


def audit_log_boards(user):
    """The boards offered in the log's filter (a queryset, read when the form renders)."""
    boards = Board.objects.select_related("section").order_by("section__position", "position")
    reach = moderation_reach(user)
    if user.is_staff or reach.everywhere:
        return boards
    return boards.filter(pk__in=reach.board_ids)


def audit_log_filtered(rows, *, actor="", action="", board=None, date_from=None, date_to=None):
    """The log's filters (AuditLogFilterForm's fields), newest first, boards joined."""
    if actor:
        rows = rows.filter(actor_name=actor)
    if action:
        rows = rows.filter(action=action)
    if board is not None:
        rows = rows.filter(board=board)
    # Datetime bounds of the site's days, not __date, so the created_at indexes serve.
    if date_from:
        rows = rows.filter(created_at__gte=day_start(date_from))
    if date_to:
        rows = rows.filter(created_at__lt=day_start(date_to + timedelta(days=1)))
    return rows.select_related("board").order_by("-created_at", "-id")


def audit_log_page(rows, *, page: int, **filters):
    """One page of the filtered log: a COUNT and one page query with boards joined."""
    return Paginator(audit_log_filtered(rows, **filters), LOG_PAGE_SIZE).get_page(page)
