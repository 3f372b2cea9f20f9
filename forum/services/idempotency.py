"""Idempotency-Key for new threads and replies: a retried request gets the same post.

A phone on a flaky network sends a reply, the answer is lost, it sends it again with
the same key. The key's row and the post are written in ONE transaction and
(user, key) is unique: a concurrent retry's INSERT waits on the first one's row and
fails once it commits, then reads the post it made. No check-then-insert race, no
second floor. A key is kept POPCORN["API_IDEMPOTENCY_HOURS"] (forum.tasks cleans up).

The price: with a key, the files' checks run inside the transaction (on SQLite that
holds the write lock a moment longer); without one, nothing changes.
"""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from config.errors import Conflict
from forum.models import IdempotencyKey, Post

KEY_MAX_LENGTH = 100
HEADER = "Idempotency-Key"


def _check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > KEY_MAX_LENGTH or not key.isprintable():
        raise ValidationError(
            {
                HEADER: [
                    _("An Idempotency-Key is 1 to %(max)d printable characters.")
                    % {"max": KEY_MAX_LENGTH}
                ]
            }
        )
    return key


def post_create_once(
    *, user: User, key: str, fingerprint: str, create: Callable[[], Post]
) -> tuple[Post, bool]:
    """Run `create` once per (user, key); returns (post, replayed).

    The same key with another request (fingerprint) is a Conflict, and so is a key
    whose first request failed meanwhile while this one waited (the caller retries).
    """
    key = _check_key(key)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(user=user, key=key, fingerprint=fingerprint)
        except IntegrityError:
            pass  # taken: by an earlier request, or one that just committed
        else:
            post = create()
            IdempotencyKey.objects.filter(pk=record.pk).update(post=post)
            return post, False
    found = (
        IdempotencyKey.objects.filter(user=user, key=key)
        .select_related("post__thread__board", "post__author")
        .first()
    )
    if found is None or found.post is None:
        raise Conflict(_("A request with this Idempotency-Key did not finish: send it again."))
    if found.fingerprint != fingerprint:
        raise Conflict(_("This Idempotency-Key was already used for a different request."))
    return found.post, True


def idempotency_keys_delete_old() -> int:
    """Forget keys older than POPCORN["API_IDEMPOTENCY_HOURS"]; returns how many."""
    cutoff = timezone.now() - timedelta(hours=settings.POPCORN["API_IDEMPOTENCY_HOURS"])
    deleted, _kinds = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
