"""Bookmarks of posts, with an optional note: one per member and post (the constraint)."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from forum.models import Bookmark, Post
from forum.permissions import can_bookmark


def bookmark_add(*, user: User, post: Post, note: str = "") -> Bookmark:
    """Bookmark a post the member can see; bookmarking it again updates the note."""
    if not can_bookmark(user, post):
        raise PermissionDenied(_("You cannot see this post."))
    note = " ".join((note or "").split())[:300]
    try:
        with transaction.atomic():
            return Bookmark.objects.create(user=user, post=post, note=note)
    except IntegrityError:
        Bookmark.objects.filter(user=user, post=post).update(note=note)
        return Bookmark.objects.get(user=user, post=post)


def bookmark_remove(*, user: User, post_id: int) -> bool:
    deleted, _rows = Bookmark.objects.filter(user=user, post_id=post_id).delete()
    return bool(deleted)
