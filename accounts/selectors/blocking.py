"""Reads of members' block lists."""

from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import Block, User

_BLOCKED_ATTR = "_blocked_ids"


def blocked_ids(user) -> frozenset[int]:
    """Whom this member blocked: no query for the many who block nobody, else one, then
    kept on the user object for the request."""
    if not user.is_authenticated or not user.block_count:
        return frozenset()
    ids = getattr(user, _BLOCKED_ATTR, None)
    if ids is None:
        ids = frozenset(Block.objects.filter(blocker=user).values_list("blocked_id", flat=True))
        setattr(user, _BLOCKED_ATTR, ids)
    return ids


def forget_blocked_ids(user) -> None:
    if hasattr(user, _BLOCKED_ATTR):
        delattr(user, _BLOCKED_ATTR)


def blocks_of(user: User) -> QuerySet:
    """A member's block list, newest first (the block_list index), with the blocked rows."""
    return (
        Block.objects.filter(blocker=user).select_related("blocked").order_by("-created_at", "-id")
    )


def has_blocked(*, blocker_id: int, blocked_id: int) -> bool:
    return Block.objects.filter(blocker_id=blocker_id, blocked_id=blocked_id).exists()


def blocking(actor_id: int) -> Exists:
    """An Exists on users: this member blocked `actor_id` (for filters over many users)."""
    return Exists(Block.objects.filter(blocker=OuterRef("pk"), blocked_id=actor_id))
