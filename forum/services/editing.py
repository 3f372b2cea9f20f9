"""Editing a post (its revisions kept), a thread's title, type and device, and re-rendering
a post with the current renderer."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Device, User
from forum import caching
from forum.models import Board, Post, PostRevision, Thread, ThreadType
from forum.permissions import check_can_edit_post
from forum.rendering import RENDER_VERSION
from forum.search import search_document
from forum.services import limits, posting_rules
from forum.services.mentions import render_source
from forum.services.threads import thread_slug
from forum.validators import (
    clean_fields,
    validate_body,
    validate_firmware_version,
    validate_title,
)


def post_edit(*, post: Post, editor: User, body: str, title: str | None = None) -> Post:
    """Replace a post's text, keeping what it said before as a PostRevision.

    An unchanged body writes nothing. The HTML is re-made with render_markdown
    only: an edit is not a new post, so nobody is notified (no events.post_created).
    The opening post may also retitle its thread (title=None leaves it).
    """
    check_can_edit_post(editor, post)
    thread = post.thread
    fields = {"body": (validate_body, body)}
    if title is not None and post.floor == 1:
        fields["title"] = (validate_title, title)
    cleaned = clean_fields(fields)
    limits.check_edit(user=editor, post=post, body=cleaned["body"])
    screened = posting_rules.screen_post(editor, cleaned, board=thread.board, editing=True)
    new_title = cleaned.get("title", thread.title)

    with transaction.atomic():
        # Lock the row and read the text being replaced under the lock, so two
        # editors at once each keep a revision of what they really overwrote.
        current = (
            Post.objects.select_for_update(of=("self",))
            .filter(pk=post.pk, is_hidden=False, thread__is_hidden=False)
            .values_list("source", flat=True)
            .first()
        )
        if current is None:
            raise PermissionDenied(_("Hidden posts cannot be edited."))
        body_changed = cleaned["body"] != current
        title_changed = new_title != thread.title
        if not body_changed and not title_changed:
            return post
        scopes = [caching.thread_scope(thread.pk)]
        if body_changed:
            now = timezone.now()
            PostRevision.objects.create(
                post=post, editor=editor, editor_name=editor.username, old_source=current
            )
            # Mentions are linked again, but only a new post notifies (events.post_created).
            Post.objects.filter(pk=post.pk).update(
                source=cleaned["body"],
                html=render_source(cleaned["body"]),
                render_version=RENDER_VERSION,
                edit_count=F("edit_count") + 1,
                edited_at=now,
            )
        Post.objects.filter(pk=post.pk).update(
            search_text=search_document(new_title if post.floor == 1 else "", cleaned["body"])
        )
        if title_changed:
            thread.title, thread.slug = new_title, thread_slug(new_title)
            Thread.objects.filter(pk=thread.pk).update(title=thread.title, slug=thread.slug)
            Board.objects.filter(pk=thread.board_id, last_thread=thread).update(
                last_thread_title=thread.title
            )
            scopes += [caching.INDEX, caching.board_scope(thread.board_id)]
        caching.bump_on_commit(*scopes)
        screened.flagged(post)
    post.refresh_from_db(fields=["source", "html", "render_version", "edit_count", "edited_at"])
    return post


def post_rerender(*, post: Post) -> None:
    """Re-make a post's HTML from its source with the current renderer."""
    Post.objects.filter(pk=post.pk).update(
        html=render_source(post.source), render_version=RENDER_VERSION
    )
    caching.bump(caching.thread_scope(post.thread_id))


_KEEP = object()


def thread_edit(
    *,
    thread: Thread,
    editor: User,
    title: str | None = None,
    thread_type: str | None = None,
    device: Device | object | None = _KEEP,
    firmware_version: str | None = None,
) -> Thread:
    """Change a thread's title, type, device or firmware version; None (or no device
    argument) leaves that one as it is.

    The same rule as editing its opening post: the author within
    POST_EDIT_WINDOW_SECONDS and not when locked, the board's moderators any time
    (forum.permissions.edit_denied_reason). A new title goes through post_edit, so
    the opening post's search text and the board's last title follow.
    """
    opening = Post.objects.select_related("thread__board").get(thread=thread, floor=1)
    check_can_edit_post(editor, opening)
    fields = {}
    if firmware_version is not None:
        fields["firmware_version"] = (validate_firmware_version, firmware_version)
    cleaned = clean_fields(fields)
    if thread_type is not None and thread_type not in ThreadType.values:
        raise ValidationError({"thread_type": [_("Choose a valid thread type.")]})
    # A meetup stays a meetup (its event hangs on it), and nothing else becomes one.
    if (
        thread_type is not None
        and ThreadType.EVENT in (thread_type, thread.thread_type)
        and thread_type != thread.thread_type
    ):
        raise ValidationError({"thread_type": [_("A meetup's type cannot be changed.")]})
    changes = {}
    if thread_type is not None and thread_type != thread.thread_type:
        changes["thread_type"] = thread_type
    if device is not _KEEP and getattr(device, "pk", None) != thread.device_id:
        changes["device"] = device
    if "firmware_version" in cleaned and cleaned["firmware_version"] != thread.firmware_version:
        changes["firmware_version"] = cleaned["firmware_version"]
    with transaction.atomic():
        if title is not None:
            post_edit(post=opening, editor=editor, body=opening.source, title=title)
            thread.title, thread.slug = opening.thread.title, opening.thread.slug
        if changes:
            Thread.objects.filter(pk=thread.pk).update(**changes)
            for name, value in changes.items():
                setattr(thread, name, value)
            caching.bump_on_commit(
                caching.thread_scope(thread.pk), caching.board_scope(thread.board_id)
            )
    return thread
