"""Pending uploads: a member's files kept from a posting form that was sent back."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from forum.models import Attachment


def pending_cutoff(now: datetime | None = None) -> datetime:
    """Pending uploads made before this have expired (PENDING_UPLOAD_HOURS)."""
    hours = settings.POPCORN["PENDING_UPLOAD_HOURS"]
    return (now or timezone.now()) - timedelta(hours=hours)


def pending_uploads(*, uploader: User, ids: Iterable[int]) -> list[Attachment]:
    """The uploader's own unexpired pending uploads among `ids`, oldest first.

    A form's hidden field carries the ids, so anyone may send any number: another
    member's upload, one already on a post, or an expired one is simply not there.
    """
    ids = {pk for pk in ids if isinstance(pk, int)}
    if not ids or not uploader.is_authenticated:
        return []
    return list(
        Attachment.objects.filter(
            pk__in=ids, uploader=uploader, post__isnull=True, created_at__gte=pending_cutoff()
        ).order_by("pk")
    )
