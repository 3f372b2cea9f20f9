"""Replying: checks, limits, taking the next floor, and publishing the reply.

The reply's transaction is short and touches one hot row: the thread's, to take
the next floor (one UPDATE ... RETURNING), then the post's INSERT and its
follow-up task in the outbox. Everything else a reply causes (the board's
totals and last post, the author's counters, daily activity and reputation, the
read position and the watch, search text, watchers' and mentions'
notifications) is applied by `reply_follow_up` in the `forum.reply_follow_up`
task after the commit, usually within a second; until then the board's totals
are one reply behind. A redelivered task does nothing twice (the post's
`followed_up` flag is claimed first), and `manage.py sync_counters` recounts
every counter from rows if anything is ever lost.
"""

from collections.abc import Sequence
from datetime import datetime
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import connections, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Greatest
from django.db.models.sql import UpdateQuery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import User
from config import regions
from config.jobs import enqueue_on_commit
from forum import caching
from forum.models import Attachment, Board, Post, Thread
from forum.permissions import can_moderate, reply_denied_reason
from forum.rendering import RENDER_VERSION
from forum.search import search_document
from forum.selectors.attachments import pending_uploads as owned_pending_uploads
from forum.services import events, limits, posting_rules, reputation
from forum.services.attachments import StoredFile, attach, clean_post_files, stored
from forum.services.drafts import draft_delete_posted
from forum.services.mentions import render_source
from forum.validators import clean_fields, validate_body


def post_reply(
    *,
    thread: Thread,
    author: User,
    body: str,
    attachments: Sequence = (),
    pending_uploads: Sequence[int] = (),
    ip: str | None = None,
) -> Post:
    """`attachments`: files uploaded now; `pending_uploads`: ids of the author's pending
    uploads, kept from a form sent back (anyone else's are ignored). `ip`: the author's
    address (config.http.client_ip), for the post's region only (never stored)."""
    reason = reply_denied_reason(author, thread)
    if reason:
        raise PermissionDenied(reason)
    pending = owned_pending_uploads(uploader=author, ids=pending_uploads)
    cleaned = clean_fields(
        {
            "body": (validate_body, body),
            "attachments": (partial(clean_post_files, pending=pending), attachments),
        }
    )
    allowed = limits.reply_allowed(
        user=author,
        thread=thread,
        body=cleaned["body"],
        attachments=[*cleaned["attachments"], *pending],
    )
    screened = posting_rules.screen_post(author, cleaned, board=thread.board)
    with allowed, stored(cleaned["attachments"]) as files, transaction.atomic():
        return screened.flagged(
            _reply_write(
                thread=thread,
                author=author,
                body=cleaned["body"],
                files=files,
                pending=pending,
                held=screened.held,
                region=regions.region_of(ip),
            )
        )


def open_for_reply(thread: Thread, author: User | None) -> QuerySet[Thread]:
    """The thread, if it still takes replies from `author` (checked in the writing UPDATE)."""
    open_threads = Thread.objects.filter(
        pk=thread.pk, is_hidden=False, is_pending=False, moved_to__isnull=True
    )
    if author is not None and not can_moderate(author, thread.board):
        open_threads = open_threads.filter(is_locked=False)
    return open_threads


def _reply_write(
    *,
    thread: Thread,
    author: User,
    body: str,
    files: Sequence[StoredFile],
    pending: Sequence[Attachment] = (),
    held: str | None = None,
    region: str = "",
) -> Post:
    now = timezone.now()
    fields = {
        "thread": thread,
        "author": author,
        "author_name": author.username,
        "source": body,
        "html": render_source(body),
        "render_version": RENDER_VERSION,
        "search_text": search_document("", body),
        "region": region,
    }
    draft_delete_posted(user=author, thread=thread)
    if held is not None:
        # No floor yet: it takes the next one when approved (approve_pending_post).
        if not open_for_reply(thread, author).update(pending_count=F("pending_count") + 1):
            raise PermissionDenied(_("This thread is closed for replies."))
        post = Post.objects.create(floor=None, is_pending=True, pending_reason=held[:200], **fields)
        attach(post=post, uploader=author, files=files, pending=pending)
        return post
    floor = reply_claim_floor(thread=thread, author=author, now=now)
    # Search text comes with the follow-up: it is CPU work the thread lock need not wait on.
    fields["search_text"] = ""
    post = Post.objects.create(floor=floor, followed_up=False, **fields)
    attach(post=post, uploader=author, files=files, pending=pending)
    # The thread's pages show the reply at once; the board and the index when the
    # follow-up has moved their totals.
    caching.bump_on_commit(caching.thread_scope(thread.pk))
    enqueue_on_commit("forum.reply_follow_up", post.pk)
    return post


@transaction.atomic
def reply_follow_up(*, post_id: int) -> bool:
    """What a reply causes besides its floor, applied after its commit (forum.reply_follow_up).

    Claimed by the post's `followed_up` flag, so a task delivered twice applies it
    once; False when there was nothing (left) to do. Counters are increments, so
    they end up right in whatever order replies, hides and follow-ups run.
    """
    if not Post.objects.filter(pk=post_id, followed_up=False, floor__isnull=False).update(
        followed_up=True
    ):
        return False
    post = Post.objects.select_related("thread__board", "author").get(pk=post_id)
    thread = post.thread
    # The thread's row before the board's, as moderation takes them (hide, restore, move):
    # the same order everywhere, so a follow-up and a moderator never deadlock.
    Thread.objects.select_for_update().filter(pk=thread.pk).exists()
    Post.objects.filter(pk=post.pk).update(search_text=search_document("", post.source))
    _board_count_reply(thread=thread, author_name=post.author_name, posted_at=post.created_at)
    if post.author_id is not None:
        author = post.author
        account_services.user_record_post(
            user_id=author.pk, started_thread=False, day=timezone.localdate(post.created_at)
        )
        reputation.reply_posted(post)
        events.post_created(post=post, thread=thread, author=author, started_thread=False)
    caching.bump_on_commit(caching.INDEX, caching.board_scope(thread.board_id))
    return True


def _board_count_reply(*, thread: Thread, author_name: str, posted_at: datetime) -> None:
    boards = Board.objects.filter(pk=thread.board_id)
    boards.update(post_count=F("post_count") + 1)
    # Last post only moves forward: follow-ups of two replies may run in either order.
    boards.filter(Q(last_posted_at__isnull=True) | Q(last_posted_at__lte=posted_at)).update(
        last_thread=thread,
        last_thread_title=thread.title,
        last_poster_name=author_name,
        last_posted_at=posted_at,
    )


def reply_claim_floor(
    *,
    thread: Thread,
    author: User,
    now: datetime,
    open_threads: QuerySet[Thread] | None = None,
    releases_pending: bool = False,
) -> int:
    """Take the thread's next floor for a reply; PermissionDenied if it is closed.

    releases_pending: the reply was held for approval, so the thread's
    pending_count gives it back in the same UPDATE.
    """
    # Taking the next floor is one conditional UPDATE: it row-locks the thread,
    # so concurrent replies queue here and each reads back its own floor. The
    # lock/hidden condition is re-checked in the same statement, so a thread
    # locked a moment ago cannot take a reply.
    if open_threads is None:
        open_threads = open_for_reply(thread, author)
    counters = {
        "last_floor": F("last_floor") + 1,
        "reply_count": F("reply_count") + 1,
        "last_posted_at": now,
        "last_poster_name": author.username,
    }
    if releases_pending:
        counters["pending_count"] = Greatest(F("pending_count") - 1, 0)
    floor = _update_returning(open_threads, counters, "last_floor")
    if floor is None:
        raise PermissionDenied(_("This thread is closed for replies."))
    return floor


def _update_returning(rows: QuerySet, values: dict, field: str):
    """`rows.update(**values)` that reads back `field` of the row it changed, in the same
    statement (UPDATE ... RETURNING: PostgreSQL, SQLite 3.35+); None if no row matched."""
    query = rows.query.chain(UpdateQuery)
    query.add_update_values(values)
    sql, params = query.get_compiler(rows.db).as_sql()
    if not sql:
        return None
    connection = connections[rows.db]
    column = connection.ops.quote_name(rows.model._meta.get_field(field).column)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} RETURNING {column}", params)
        row = cursor.fetchone()
    return None if row is None else row[0]


def reply_publish(*, thread: Thread, post: Post, author: User, now: datetime) -> None:
    """A new reply's board counters, events and page versions: at posting, or on approval."""
    Board.objects.filter(pk=thread.board_id).update(
        post_count=F("post_count") + 1,
        last_thread=thread,
        last_thread_title=thread.title,
        last_poster_name=author.username,
        last_posted_at=now,
    )
    account_services.user_record_post(user_id=author.pk, started_thread=False)
    reputation.reply_posted(post)
    events.post_created(post=post, thread=thread, author=author, started_thread=False)
    caching.bump_on_commit(
        caching.INDEX, caching.board_scope(thread.board_id), caching.thread_scope(thread.pk)
    )
