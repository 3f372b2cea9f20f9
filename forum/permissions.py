"""Who may do what in the forum: `can_*` answer, `check_can_*` raise.

Every view and service asks here, so the rule is written once.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Board


def can_view_board(user, board: Board) -> bool:
    if board.visibility == Board.Visibility.EVERYONE:
        return True
    if not user.is_authenticated:
        return False
    if board.visibility == Board.Visibility.STAFF:
        return user.is_staff
    return True


def board_readers(board: Board) -> Q:
    """can_view_board as a filter on users, for choosing many recipients at once."""
    if board.visibility == Board.Visibility.STAFF:
        return Q(is_staff=True)
    return Q()


def can_view_thread(user, thread) -> bool:
    if not can_view_board(user, thread.board):
        return False
    return not thread.is_hidden or (user.is_authenticated and user.is_staff)


def has_verified_email(user) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


def posting_denied_reason(user, board: Board) -> str | None:
    """Why this user may not post in this board, or None if they may."""
    if not user.is_authenticated:
        return _("Sign in to post.")
    if not user.is_active:
        return _("This account is disabled.")
    if not can_view_board(user, board):
        return _("You cannot post in this board.")
    if (
        settings.POPCORN["POSTING_REQUIRES_VERIFIED_EMAIL"]
        and not user.is_staff
        and not has_verified_email(user)
    ):
        return _("Confirm your email address before you post.")
    return None


def start_thread_denied_reason(user, board: Board) -> str | None:
    reason = posting_denied_reason(user, board)
    if reason:
        return reason
    if board.posting == Board.Posting.STAFF and not user.is_staff:
        return _("Only staff can start threads in this board.")
    return None


def reply_denied_reason(user, thread) -> str | None:
    reason = posting_denied_reason(user, thread.board)
    if reason:
        return reason
    if thread.is_hidden:
        return _("This thread has been hidden.")
    if thread.is_locked and not user.is_staff:
        return _("This thread is locked.")
    return None


def can_start_thread(user, board: Board) -> bool:
    return start_thread_denied_reason(user, board) is None


def can_reply(user, thread) -> bool:
    return reply_denied_reason(user, thread) is None


def check_can_view_board(user, board: Board) -> None:
    if not can_view_board(user, board):
        raise PermissionDenied(_("You cannot see this board."))


def check_can_view_thread(user, thread) -> None:
    if not can_view_thread(user, thread):
        raise PermissionDenied(_("You cannot see this thread."))
