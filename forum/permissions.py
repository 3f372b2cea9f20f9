"""Who may do what in the forum: `can_*` answer, `check_can_*` raise.

Every view and service asks here, so the rule is written once.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.timesince import timesince
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


def like_denied_reason(user, post) -> str | None:
    """Why this user may not like this post, or None if they may."""
    if not user.is_authenticated:
        return _("Sign in to like posts.")
    if not user.is_active:
        return _("This account is disabled.")
    if not can_view_thread(user, post.thread):
        return _("You cannot see this post.")
    if post.is_hidden or post.thread.is_hidden:
        return _("This post has been hidden.")
    if post.author_id == user.pk:
        return _("You cannot like your own post.")
    return None


def can_like(user, post) -> bool:
    return like_denied_reason(user, post) is None


def edit_denied_reason(user, post) -> str | None:
    """Why this user may not edit this post now, or None if they may.

    Authors edit within POST_EDIT_WINDOW_SECONDS and not in locked threads;
    staff edit any time. Moderators of a board will be added here.
    """
    if not user.is_authenticated:
        return _("Sign in to edit posts.")
    if not user.is_active:
        return _("This account is disabled.")
    thread = post.thread
    if not can_view_board(user, thread.board):
        return _("You cannot post in this board.")
    if post.is_hidden or thread.is_hidden:
        return _("Hidden posts cannot be edited.")
    if user.is_staff:
        return None
    if post.author_id != user.pk:
        return _("You can only edit your own posts.")
    if thread.is_locked:
        return _("This thread is locked.")
    window = settings.POPCORN["POST_EDIT_WINDOW_SECONDS"]
    if timezone.now() - post.created_at > timedelta(seconds=window):
        return _("Posts can be edited only within %(window)s of posting.") % {
            "window": timesince(timezone.now() - timedelta(seconds=window))
        }
    return None


def can_edit_post(user, post) -> bool:
    return edit_denied_reason(user, post) is None


def check_can_edit_post(user, post) -> None:
    reason = edit_denied_reason(user, post)
    if reason:
        raise PermissionDenied(reason)


def can_view_revisions(user, post) -> bool:
    """Earlier versions are shown to the author and staff only.

    Fans paste IMEIs, serial numbers and account names into bug reports and
    edit them out; a public history would publish them anyway.
    """
    if not user.is_authenticated:
        return False
    return user.is_staff or post.author_id == user.pk


def check_can_view_thread(user, thread) -> None:
    if not can_view_thread(user, thread):
        raise PermissionDenied(_("You cannot see this thread."))
