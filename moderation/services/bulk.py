"""Bulk actions from the board page: one action on many threads, all or nothing."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from forum.models import Board, Thread
from forum.permissions import check_can_moderate
from moderation.services.audit import required_reason
from moderation.services.threads import (
    thread_hide,
    thread_lock,
    thread_move,
    thread_restore,
    thread_unlock,
)

# Bulk actions from the board page --------------------------------------------

BULK_ACTIONS = {
    "lock": gettext_lazy("Lock"),
    "unlock": gettext_lazy("Unlock"),
    "move": gettext_lazy("Move"),
    "hide": gettext_lazy("Hide"),
    "restore": gettext_lazy("Restore"),
}


@transaction.atomic
def threads_bulk_apply(
    *,
    board: Board,
    thread_ids: Iterable[int],
    action: str,
    actor: User,
    reason: str = "",
    to_board: Board | None = None,
    ip: str | None = None,
) -> int:
    """Apply one action to threads of one board, all or nothing, one audit row per thread."""
    check_can_moderate(actor, board)
    if action not in BULK_ACTIONS:
        raise ValidationError({"action": [_("Choose an action.")]})
    wanted = {int(pk) for pk in thread_ids}
    threads = list(Thread.objects.filter(board=board, pk__in=wanted).order_by("pk"))
    if not wanted or len(threads) != len(wanted):
        raise ValidationError({"threads": [_("Choose one or more threads of this board.")]})
    if action == "hide":
        reason = required_reason(reason)
    if action == "move" and to_board is None:
        raise ValidationError({"to_board": [_("Choose the board to move to.")]})
    for thread in threads:
        if action == "lock":
            thread_lock(thread=thread, actor=actor, reason=reason, ip=ip)
        elif action == "unlock":
            thread_unlock(thread=thread, actor=actor, reason=reason, ip=ip)
        elif action == "move":
            thread_move(thread=thread, to_board=to_board, actor=actor, reason=reason, ip=ip)
        elif action == "hide":
            thread_hide(thread=thread, actor=actor, reason=reason, ip=ip)
        else:
            thread_restore(thread=thread, actor=actor, reason=reason, ip=ip)
    return len(threads)
