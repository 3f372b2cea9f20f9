"""Blocking (ignoring) members: one row per pair, the unique constraint decides."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Block, User
from accounts.selectors.blocking import forget_blocked_ids


def block_add(*, blocker: User, blocked: User) -> bool:
    """Block a member; False when already blocked. Blocking oneself is a field error."""
    if not blocker.is_authenticated or not blocker.is_active:
        raise PermissionDenied(_("Sign in to block members."))
    if blocker.pk == blocked.pk:
        raise ValidationError({"username": [_("You cannot block yourself.")]})
    if Block.objects.filter(blocker=blocker).count() >= settings.POPCORN["BLOCKS_MAX"]:
        raise ValidationError({"username": [_("Your block list is full: unblock someone first.")]})
    try:
        with transaction.atomic():
            Block.objects.create(blocker=blocker, blocked=blocked)
    except IntegrityError:
        return False
    forget_blocked_ids(blocker)
    return True


def block_remove(*, blocker: User, blocked: User) -> bool:
    deleted, _rows = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    forget_blocked_ids(blocker)
    return bool(deleted)
