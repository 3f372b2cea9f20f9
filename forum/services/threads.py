"""Starting threads: checks, limits, the write, and publishing it (counters, events, pages).

Posting checks every file (Pillow, zipfile) and stores it before the
transaction opens: a bad file writes nothing, and slow image work or an S3
upload never holds the thread's row lock (or SQLite's write lock).
"""

from collections.abc import Sequence
from datetime import datetime
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import Device, User
from config import regions
from forum import caching
from forum.models import Attachment, Board, Post, Thread, ThreadType
from forum.permissions import start_thread_denied_reason
from forum.rendering import RENDER_VERSION
from forum.search import search_document
from forum.selectors.attachments import pending_uploads as owned_pending_uploads
from forum.services import events, limits, posting_rules, reputation
from forum.services.attachments import StoredFile, attach, clean_post_files, stored
from forum.services.drafts import draft_delete_posted
from forum.services.mentions import render_source
from forum.validators import (
    clean_fields,
    validate_body,
    validate_firmware_version,
    validate_title,
)


def thread_slug(title: str) -> str:
    return slugify(title, allow_unicode=True)[:80].strip("-") or "thread"


def thread_create(
    *,
    board: Board,
    author: User,
    title: str,
    body: str,
    thread_type: str = ThreadType.DISCUSSION,
    device: Device | None = None,
    firmware_version: str = "",
    attachments: Sequence = (),
    pending_uploads: Sequence[int] = (),
    as_event: bool = False,
    ip: str | None = None,
) -> Thread:
    """`attachments`: files uploaded now; `pending_uploads`: ids of the author's pending
    uploads, kept from a form sent back (anyone else's are ignored). A meetup thread is
    started only by forum.services.meetups.event_create (`as_event`), with its event.
    `ip`: the author's address (config.http.client_ip), for the opening post's region
    only (never stored)."""
    reason = start_thread_denied_reason(author, board)
    if reason:
        raise PermissionDenied(reason)
    pending = owned_pending_uploads(uploader=author, ids=pending_uploads)
    cleaned = clean_fields(
        {
            "title": (validate_title, title),
            "body": (validate_body, body),
            "firmware_version": (validate_firmware_version, firmware_version),
            "attachments": (partial(clean_post_files, pending=pending), attachments),
        }
    )
    if thread_type not in ThreadType.values or (thread_type == ThreadType.EVENT) != as_event:
        raise ValidationError({"thread_type": [_("Choose a valid thread type.")]})
    allowed = limits.thread_allowed(
        user=author,
        board=board,
        body=cleaned["body"],
        attachments=[*cleaned["attachments"], *pending],
    )
    screened = posting_rules.screen_post(author, cleaned, board=board)
    with allowed, stored(cleaned["attachments"]) as files, transaction.atomic():
        return screened.flagged(
            _thread_write(
                board=board,
                author=author,
                cleaned=cleaned,
                thread_type=thread_type,
                device=device,
                files=files,
                pending=pending,
                held=screened.held,
                region=regions.region_of(ip),
            )
        )


def _thread_write(
    *,
    board: Board,
    author: User,
    cleaned: dict,
    thread_type: str,
    device: Device | None,
    files: Sequence[StoredFile],
    pending: Sequence[Attachment] = (),
    held: str | None = None,
    region: str = "",
) -> Thread:
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
        is_pending=held is not None,
    )
    opening = Post.objects.create(
        thread=thread,
        floor=1,
        author=author,
        author_name=author.username,
        source=cleaned["body"],
        html=render_source(cleaned["body"]),
        render_version=RENDER_VERSION,
        search_text=search_document(cleaned["title"], cleaned["body"]),
        is_pending=held is not None,
        pending_reason=(held or "")[:200],
        region=region,
    )
    attach(post=opening, uploader=author, files=files, pending=pending)
    draft_delete_posted(user=author, board=board)
    if held is not None:
        return thread  # counted, announced and cached when approved (approve_pending_post)
    thread_publish(thread=thread, opening=opening, author=author, now=now)
    return thread


def thread_publish(*, thread: Thread, opening: Post, author: User, now: datetime) -> None:
    """A new thread's counters, events and page versions: at posting, or on approval."""
    board = thread.board
    Board.objects.filter(pk=board.pk).update(
        thread_count=F("thread_count") + 1,
        post_count=F("post_count") + 1,
        last_thread=thread,
        last_thread_title=thread.title,
        last_poster_name=author.username,
        last_posted_at=now,
    )
    account_services.user_record_post(user_id=author.pk, started_thread=True)
    reputation.thread_started(thread)
    events.post_created(post=opening, thread=thread, author=author, started_thread=True)
    caching.bump_on_commit(caching.INDEX, caching.board_scope(board.pk))
