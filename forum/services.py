"""Every write to the forum's tables goes through these functions.

Views, the admin, management commands, jobs and tests all call them, so the
rules (permissions, validation, counters, cache versions) hold everywhere.
Read state and watching are written in reading.py and watching.py, because the
posting hooks in events.py call them too, and are re-exported here.
"""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from accounts import services as account_services
from accounts.models import Device, NotificationKind

from . import attachments as attachment_files
from . import caching, events, mentions
from .models import Attachment, Board, Post, PostLike, PostRevision, Thread, ThreadType
from .permissions import (
    check_can_edit_post,
    like_denied_reason,
    reply_denied_reason,
    start_thread_denied_reason,
)
from .reading import board_mark_read as board_mark_read
from .reading import thread_mark_read as thread_mark_read
from .rendering import RENDER_VERSION
from .search import search_document
from .validators import validate_body, validate_firmware_version, validate_title
from .watching import board_unwatch as board_unwatch
from .watching import board_watch as board_watch
from .watching import post_notify_watchers as post_notify_watchers
from .watching import thread_unwatch as thread_unwatch
from .watching import thread_watch as thread_watch


def _clean(validators: dict) -> dict:
    """Run field validators, collecting every error before raising once."""
    cleaned, errors = {}, {}
    for field, (validator, value) in validators.items():
        try:
            cleaned[field] = validator(value)
        except ValidationError as exc:
            errors[field] = exc.error_list
    if errors:
        raise ValidationError(errors)
    return cleaned


def thread_slug(title: str) -> str:
    return slugify(title, allow_unicode=True)[:80].strip("-") or "thread"


def _attach(*, post: Post, uploader, files: Sequence) -> None:
    """Attachment rows for files already in storage, in the post's transaction."""
    if files:
        Attachment.objects.bulk_create(
            attachment_files.attachment_rows(post=post, uploader=uploader, files=files)
        )


# Posting checks every file (Pillow, zipfile) and stores it before the
# transaction opens: a bad file writes nothing, and slow image work or an S3
# upload never holds the thread's row lock (or SQLite's write lock).


def thread_create(
    *,
    board: Board,
    author,
    title: str,
    body: str,
    thread_type: str = ThreadType.DISCUSSION,
    device: Device | None = None,
    firmware_version: str = "",
    attachments: Sequence = (),
) -> Thread:
    reason = start_thread_denied_reason(author, board)
    if reason:
        raise PermissionDenied(reason)
    cleaned = _clean(
        {
            "title": (validate_title, title),
            "body": (validate_body, body),
            "firmware_version": (validate_firmware_version, firmware_version),
            "attachments": (attachment_files.clean_uploads, attachments),
        }
    )
    if thread_type not in ThreadType.values:
        raise ValidationError({"thread_type": ["Choose a valid thread type."]})
    with attachment_files.stored(cleaned["attachments"]) as files, transaction.atomic():
        return _thread_write(
            board=board,
            author=author,
            cleaned=cleaned,
            thread_type=thread_type,
            device=device,
            files=files,
        )


def _thread_write(*, board, author, cleaned, thread_type, device, files) -> Thread:
    now = timezone.now()
    thread = Thread.objects.create(
        board=board,
        title=cleaned["title"],
        slug=thread_slug(cleaned["title"]),
        thread_type=thread_type,
        author=author,
        author_name=author.username,
        device=device,
        firmware_version=cleaned["firmware_version"],
        last_floor=1,
        last_posted_at=now,
        last_poster_name=author.username,
    )
    opening = Post.objects.create(
        thread=thread,
        floor=1,
        author=author,
        author_name=author.username,
        source=cleaned["body"],
        html=mentions.render_source(cleaned["body"]),
        render_version=RENDER_VERSION,
        search_text=search_document(cleaned["title"], cleaned["body"]),
    )
    _attach(post=opening, uploader=author, files=files)
    Board.objects.filter(pk=board.pk).update(
        thread_count=F("thread_count") + 1,
        post_count=F("post_count") + 1,
        last_thread=thread,
        last_thread_title=thread.title,
        last_poster_name=author.username,
        last_posted_at=now,
    )
    account_services.user_record_post(user_id=author.pk, started_thread=True)
    events.post_created(post=opening, thread=thread, author=author, started_thread=True)
    caching.bump_on_commit(caching.INDEX, caching.board_scope(board.pk))
    return thread


def post_reply(*, thread: Thread, author, body: str, attachments: Sequence = ()) -> Post:
    reason = reply_denied_reason(author, thread)
    if reason:
        raise PermissionDenied(reason)
    cleaned = _clean(
        {
            "body": (validate_body, body),
            "attachments": (attachment_files.clean_uploads, attachments),
        }
    )
    with attachment_files.stored(cleaned["attachments"]) as files, transaction.atomic():
        return _reply_write(thread=thread, author=author, body=cleaned["body"], files=files)


def _reply_write(*, thread: Thread, author, body: str, files) -> Post:
    now = timezone.now()
    # Taking the next floor is one conditional UPDATE: it row-locks the thread,
    # so concurrent replies queue here and each reads back its own floor. The
    # lock/hidden condition is re-checked in the same statement, so a thread
    # locked a moment ago cannot take a reply.
    open_threads = Thread.objects.filter(pk=thread.pk, is_hidden=False)
    if not author.is_staff:
        open_threads = open_threads.filter(is_locked=False)
    claimed = open_threads.update(
        last_floor=F("last_floor") + 1,
        reply_count=F("reply_count") + 1,
        last_posted_at=now,
        last_poster_name=author.username,
    )
    if not claimed:
        raise PermissionDenied("This thread is closed for replies.")
    floor = Thread.objects.filter(pk=thread.pk).values_list("last_floor", flat=True).get()
    post = Post.objects.create(
        thread=thread,
        floor=floor,
        author=author,
        author_name=author.username,
        source=body,
        html=mentions.render_source(body),
        render_version=RENDER_VERSION,
        search_text=search_document("", body),
    )
    _attach(post=post, uploader=author, files=files)
    Board.objects.filter(pk=thread.board_id).update(
        post_count=F("post_count") + 1,
        last_thread=thread,
        last_thread_title=thread.title,
        last_poster_name=author.username,
        last_posted_at=now,
    )
    account_services.user_record_post(user_id=author.pk, started_thread=False)
    events.post_created(post=post, thread=thread, author=author, started_thread=False)
    caching.bump_on_commit(
        caching.INDEX, caching.board_scope(thread.board_id), caching.thread_scope(thread.pk)
    )
    return post


def post_edit(*, post: Post, editor, body: str, title: str | None = None) -> Post:
    """Replace a post's text, keeping what it said before as a PostRevision.

    An unchanged body writes nothing. The HTML is re-made with render_markdown
    only: an edit is not a new post, so nobody is notified (no forum.events).
    The opening post may also retitle its thread (title=None leaves it).
    """
    check_can_edit_post(editor, post)
    thread = post.thread
    fields = {"body": (validate_body, body)}
    if title is not None and post.floor == 1:
        fields["title"] = (validate_title, title)
    cleaned = _clean(fields)
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
            raise PermissionDenied("Hidden posts cannot be edited.")
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
            # Mentions are linked again, but only a new post notifies (forum.events).
            Post.objects.filter(pk=post.pk).update(
                source=cleaned["body"],
                html=mentions.render_source(cleaned["body"]),
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
    post.refresh_from_db(fields=["source", "html", "render_version", "edit_count", "edited_at"])
    return post


def thread_record_view(*, thread_id: int) -> None:
    Thread.objects.filter(pk=thread_id).update(view_count=F("view_count") + 1)


def post_rerender(*, post: Post) -> None:
    """Re-make a post's HTML from its source with the current renderer."""
    Post.objects.filter(pk=post.pk).update(
        html=mentions.render_source(post.source), render_version=RENDER_VERSION
    )
    caching.bump(caching.thread_scope(post.thread_id))


# Likes -----------------------------------------------------------------------
#
# One PostLike row per member and post, by a unique constraint: a double click
# or two tabs meet in the constraint, not in a check-then-insert. like_count
# moves only when a row was really inserted or deleted, with F() in the same
# transaction. `post` should come with select_related("thread__board", "author").


@transaction.atomic
def post_like(*, post: Post, user) -> bool:
    """Like a post; False when this member already liked it."""
    reason = like_denied_reason(user, post)
    if reason:
        raise PermissionDenied(reason)
    try:
        with transaction.atomic():  # a savepoint: the outer transaction survives a lost race
            PostLike.objects.create(post=post, user=user)
    except IntegrityError:
        return False
    Post.objects.filter(pk=post.pk).update(like_count=F("like_count") + 1)
    if post.author_id is not None:
        account_services.notification_group_add(
            recipient=post.author,
            kind=NotificationKind.LIKE,
            group_key=f"like:post:{post.pk}",
            target_url=post.get_absolute_url(),
            target_title=post.thread.title,
            actor=user,
        )
    caching.bump_on_commit(caching.thread_scope(post.thread_id))
    return True


@transaction.atomic
def post_unlike(*, post: Post, user) -> bool:
    """Take a like back; False when there was none. Allowed on hidden posts too."""
    if not user.is_authenticated:
        raise PermissionDenied(gettext("Sign in to like posts."))
    deleted, _ = PostLike.objects.filter(post=post, user=user).delete()
    if not deleted:
        return False
    Post.objects.filter(pk=post.pk, like_count__gt=0).update(like_count=F("like_count") - 1)
    caching.bump_on_commit(caching.thread_scope(post.thread_id))
    return True


def post_sync_like_count(*, post: Post) -> None:
    """Repair path: recount like_count from the rows."""
    likes = (
        PostLike.objects.filter(post=OuterRef("pk"))
        .values("post")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # One statement, so a like landing meanwhile is not lost between a read and a write.
    Post.objects.filter(pk=post.pk).update(like_count=Coalesce(Subquery(likes), 0))
    caching.bump_on_commit(caching.thread_scope(post.thread_id))


@transaction.atomic
def post_search_text_rebuild(*, after_pk: int = 0, batch_size: int = 1000) -> int:
    """Recompute search_text for the next batch of posts after after_pk.

    Returns the last pk done, or 0 when there are no posts left. One SELECT and
    one set-based UPDATE (bulk_update's CASE on pk) per batch; updated_at is
    left alone since the content did not change. Safe to re-run at any time.
    """
    rows = list(
        Post.objects.filter(pk__gt=after_pk)
        .order_by("pk")
        .values_list("pk", "floor", "source", "thread__title")[:batch_size]
    )
    if not rows:
        return 0
    Post.objects.bulk_update(
        [
            Post(pk=pk, search_text=search_document(title if floor == 1 else "", source))
            for pk, floor, source, title in rows
        ],
        ["search_text"],
    )
    return rows[-1][0]
