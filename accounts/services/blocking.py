"""Blocking (ignoring) members: one row per pair (the unique constraint decides), and
User.block_count kept with F() beside it (repaired by blocks_sync_count)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.models import Block, User
from accounts.selectors.blocking import forget_blocked_ids


def block_add(*, blocker: User, blocked: User) -> bool:
    """Block a member; False when already blocked. Blocking oneself is a field error."""
    if not blocker.is_authenticated or not blocker.is_active:
        raise PermissionDenied(_("Sign in to block members."))
    if blocker.pk == blocked.pk:
        raise ValidationError({"username": [_("You cannot block yourself.")]})
    if blocker.block_count >= settings.POPCORN["BLOCKS_MAX"]:
        raise ValidationError({"username": [_("Your block list is full: unblock someone first.")]})
    try:
        with transaction.atomic():
            Block.objects.create(blocker=blocker, blocked=blocked)
            User.objects.filter(pk=blocker.pk).update(block_count=F("block_count") + 1)
    except IntegrityError:
        return False
    blocker.block_count += 1
    forget_blocked_ids(blocker)
    return True


def block_remove(*, blocker: User, blocked: User) -> bool:
    with transaction.atomic():
        deleted, _rows = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
        if deleted:
            User.objects.filter(pk=blocker.pk, block_count__gt=0).update(
                block_count=F("block_count") - 1
            )
    if deleted:
        blocker.block_count = max(0, blocker.block_count - 1)
    forget_blocked_ids(blocker)
    return bool(deleted)


def blocks_sync_count(*, user_ids=None) -> int:
    """Repair User.block_count from the block rows, set-based; returns members corrected."""
    counted = (
        Block.objects.filter(blocker=OuterRef("pk"))
        .order_by()
        .values("blocker")
        .annotate(n=Count("pk"))
        .values("n")
    )
    users = User.objects.all() if user_ids is None else User.objects.filter(pk__in=user_ids)
    actual = Coalesce(Subquery(counted), Value(0))
    return users.exclude(block_count=actual).update(block_count=actual)
