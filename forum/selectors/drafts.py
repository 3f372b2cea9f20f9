"""Reads of a member's own drafts: one query each, and nobody else's."""

from django.conf import settings
from django.db.models import Q

from config.paging import keyset_page
from forum.models import Board, Draft

DRAFT_ORDER = ("-updated_at", "-id")


def draft_for(user, *, board=None, thread=None) -> Draft | None:
    """The member's draft for a board's new thread or a thread's reply (one query)."""
    if not user.is_authenticated:
        return None
    target = {"thread": thread} if thread is not None else {"board": board, "thread": None}
    return Draft.objects.filter(user=user, **target).first()


def drafts_of(user):
    """My drafts whose board or thread I can still see, with it (one join)."""
    visible = Board.objects.visible_to(user)
    return (
        Draft.objects.filter(user=user)
        .filter(
            Q(board__in=visible)
            | Q(thread__is_hidden=False, thread__moved_to__isnull=True, thread__board__in=visible)
        )
        .select_related("board", "thread", "device")
    )


def draft_page(user, *, after: str | None = None):
    return keyset_page(
        drafts_of(user),
        ordering=DRAFT_ORDER,
        after=after,
        size=settings.POPCORN["DRAFTS_PER_PAGE"],
    )
