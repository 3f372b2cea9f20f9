"""Every write to the forum's tables goes through these functions.

Views, the admin, management commands, jobs and tests all call them, so the
rules (permissions, validation, counters, cache versions) hold everywhere.
Read state and watching are written in reading.py and watching.py, because the
posting hooks in events.py call them too, and are re-exported here.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from accounts import services as account_services
from accounts.models import Device

from . import caching, events
from .models import Board, Post, Thread, ThreadType
from .permissions import reply_denied_reason, start_thread_denied_reason
from .reading import board_mark_read as board_mark_read
from .reading import thread_mark_read as thread_mark_read
from .rendering import RENDER_VERSION, render_markdown
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


@transaction.atomic
def thread_create(
    *,
    board: Board,
    author,
    title: str,
    body: str,
    thread_type: str = ThreadType.DISCUSSION,
    device: Device | None = None,
    firmware_version: str = "",
) -> Thread:
    reason = start_thread_denied_reason(author, board)
    if reason:
        raise PermissionDenied(reason)
    cleaned = _clean(
        {
            "title": (validate_title, title),
            "body": (validate_body, body),
            "firmware_version": (validate_firmware_version, firmware_version),
        }
    )
    if thread_type not in ThreadType.values:
        raise ValidationError({"thread_type": ["Choose a valid thread type."]})

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
        html=render_markdown(cleaned["body"]),
        render_version=RENDER_VERSION,
    )
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


@transaction.atomic
def post_reply(*, thread: Thread, author, body: str) -> Post:
    reason = reply_denied_reason(author, thread)
    if reason:
        raise PermissionDenied(reason)
    cleaned = _clean({"body": (validate_body, body)})

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
        source=cleaned["body"],
        html=render_markdown(cleaned["body"]),
        render_version=RENDER_VERSION,
    )
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


def thread_record_view(*, thread_id: int) -> None:
    Thread.objects.filter(pk=thread_id).update(view_count=F("view_count") + 1)


def post_rerender(*, post: Post) -> None:
    """Re-make a post's HTML from its source with the current renderer."""
    Post.objects.filter(pk=post.pk).update(
        html=render_markdown(post.source), render_version=RENDER_VERSION
    )
    caching.bump(caching.thread_scope(post.thread_id))
