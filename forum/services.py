"""Every write to the forum's tables goes through these functions.

Views, the admin, management commands, jobs and tests all call them, so the
rules (permissions, validation, counters, cache versions) hold everywhere.
Read state and watching are written in reading.py and watching.py, because the
posting hooks in events.py call them too, and are re-exported here.
"""

import dataclasses
from collections import Counter
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import Device, NotificationKind

from . import attachments as attachment_files
from . import caching, events, limits, mentions, posting_rules, reputation
from .models import (
    Attachment,
    Board,
    BoardModerator,
    Post,
    PostLike,
    PostRevision,
    Section,
    SectionModerator,
    Thread,
    ThreadType,
    ThreadWatch,
)
from .permissions import (
    can_moderate,
    check_can_edit_post,
    forget_moderation_reach,
    like_denied_reason,
    reply_denied_reason,
    sanction_denied_reason,
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
    allowed = limits.thread_allowed(
        user=author, board=board, body=cleaned["body"], attachments=cleaned["attachments"]
    )
    held = posting_rules.needs_approval(author, cleaned["body"], board=board)
    with allowed, attachment_files.stored(cleaned["attachments"]) as files, transaction.atomic():
        return _thread_write(
            board=board,
            author=author,
            cleaned=cleaned,
            thread_type=thread_type,
            device=device,
            files=files,
            held=held,
        )


def _thread_write(*, board, author, cleaned, thread_type, device, files, held=None) -> Thread:
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
        html=mentions.render_source(cleaned["body"]),
        render_version=RENDER_VERSION,
        search_text=search_document(cleaned["title"], cleaned["body"]),
        is_pending=held is not None,
        pending_reason=(held or "")[:200],
    )
    _attach(post=opening, uploader=author, files=files)
    if held is not None:
        return thread  # counted, announced and cached when approved (forum.approval)
    thread_publish(thread=thread, opening=opening, author=author, now=now)
    return thread


def thread_publish(*, thread: Thread, opening: Post, author, now) -> None:
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
    allowed = limits.reply_allowed(
        user=author, thread=thread, body=cleaned["body"], attachments=cleaned["attachments"]
    )
    held = posting_rules.needs_approval(author, cleaned["body"], board=thread.board)
    with allowed, attachment_files.stored(cleaned["attachments"]) as files, transaction.atomic():
        return _reply_write(
            thread=thread, author=author, body=cleaned["body"], files=files, held=held
        )


def _open_for_reply(thread: Thread, author):
    """The thread, if it still takes replies from `author` (checked in the writing UPDATE)."""
    open_threads = Thread.objects.filter(
        pk=thread.pk, is_hidden=False, is_pending=False, moved_to__isnull=True
    )
    if author is not None and not can_moderate(author, thread.board):
        open_threads = open_threads.filter(is_locked=False)
    return open_threads


def _reply_write(*, thread: Thread, author, body: str, files, held=None) -> Post:
    now = timezone.now()
    fields = {
        "thread": thread,
        "author": author,
        "author_name": author.username,
        "source": body,
        "html": mentions.render_source(body),
        "render_version": RENDER_VERSION,
        "search_text": search_document("", body),
    }
    if held is not None:
        # No floor yet: it takes the next one when approved (forum.approval).
        if not _open_for_reply(thread, author).update(pending_count=F("pending_count") + 1):
            raise PermissionDenied("This thread is closed for replies.")
        post = Post.objects.create(floor=None, is_pending=True, pending_reason=held[:200], **fields)
        _attach(post=post, uploader=author, files=files)
        return post
    floor = reply_claim_floor(thread=thread, author=author, now=now)
    post = Post.objects.create(floor=floor, **fields)
    _attach(post=post, uploader=author, files=files)
    reply_publish(thread=thread, post=post, author=author, now=now)
    return post


def reply_claim_floor(*, thread: Thread, author, now, open_threads=None, **extra) -> int:
    """Take the thread's next floor for a reply; PermissionDenied if it is closed."""
    # Taking the next floor is one conditional UPDATE: it row-locks the thread,
    # so concurrent replies queue here and each reads back its own floor. The
    # lock/hidden condition is re-checked in the same statement, so a thread
    # locked a moment ago cannot take a reply.
    if open_threads is None:
        open_threads = _open_for_reply(thread, author)
    claimed = open_threads.update(
        last_floor=F("last_floor") + 1,
        reply_count=F("reply_count") + 1,
        last_posted_at=now,
        last_poster_name=author.username,
        **extra,
    )
    if not claimed:
        raise PermissionDenied("This thread is closed for replies.")
    return Thread.objects.filter(pk=thread.pk).values_list("last_floor", flat=True).get()


def reply_publish(*, thread: Thread, post: Post, author, now) -> None:
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
    limits.check_edit(user=editor, post=post, body=cleaned["body"])
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
    reputation.like_received(post, user.pk)
    account_services.like_record(giver_id=user.pk, receiver_id=post.author_id)
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
        raise PermissionDenied(_("Sign in to like posts."))
    sanctioned = sanction_denied_reason(user, posting=False)
    if sanctioned:  # a suspended member is read-only, likes included
        raise PermissionDenied(sanctioned)
    like = PostLike.objects.filter(post=post, user=user)
    liked_at = like.values_list("created_at", flat=True).first()
    deleted, _per_model = like.delete()
    if not deleted:
        return False
    Post.objects.filter(pk=post.pk, like_count__gt=0).update(like_count=F("like_count") - 1)
    reputation.like_withdrawn(post, user.pk)
    account_services.like_unrecord(
        giver_id=user.pk, receiver_id=post.author_id, liked_on=timezone.localdate(liked_at)
    )
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


# Moderation mechanics ---------------------------------------------------------
#
# The state changes behind moderators' actions, with their counters and page
# cache versions. They check no permission and record nothing: that is
# moderation.services' job (reach, audit row, notice to the author). Forum's own
# posting rules may call them too, e.g. to hold a post for approval.
#
# What the counters count, exactly (the repair functions below recount this):
#   thread.reply_count         visible posts of the thread after floor 1
#   board.thread_count         visible threads of the board, "Moved" notices excluded
#   board.post_count           visible posts in those threads
#   author.thread_count        the same threads, by their starter
#   author.post_count          the same posts, by their author

_UNHIDDEN = {"hidden_by": None, "hidden_by_name": "", "hidden_reason": "", "hidden_at": None}


def _hidden_fields(actor, reason: str) -> dict:
    return {
        "is_hidden": True,
        "hidden_by": actor,
        "hidden_by_name": actor.username if actor else "",
        "hidden_reason": reason[:500],
        "hidden_at": timezone.now(),
    }


def _bump(*, thread_ids=(), board_ids=(), announcements: bool = False) -> None:
    scopes = [caching.INDEX]
    scopes += [caching.board_scope(pk) for pk in set(board_ids)]
    scopes += [caching.thread_scope(pk) for pk in set(thread_ids)]
    if announcements:
        scopes.append(caching.ANNOUNCEMENTS)
    caching.bump_on_commit(*scopes)


@dataclasses.dataclass
class _Counted:
    """What some threads add to their boards' and authors' counters."""

    board_threads: Counter = dataclasses.field(default_factory=Counter)
    board_posts: Counter = dataclasses.field(default_factory=Counter)
    user_threads: Counter = dataclasses.field(default_factory=Counter)
    user_posts: Counter = dataclasses.field(default_factory=Counter)


def _counted(thread_ids) -> _Counted:
    """Two queries, whatever the number of posts."""
    threads = Thread.objects.visible().not_moved().filter(pk__in=thread_ids)
    counted = _Counted()
    for board_id, author_id in threads.values_list("board_id", "author_id"):
        counted.board_threads[board_id] += 1
        counted.user_threads[author_id] += 1
    posts = (
        Post.objects.visible()
        .filter(thread__in=threads)
        .values_list("thread__board_id", "author_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for board_id, author_id, n in posts:
        counted.board_posts[board_id] += n
        counted.user_posts[author_id] += n
    return counted


def _difference(before: Counter, after: Counter) -> dict:
    return {k: after[k] - before[k] for k in before.keys() | after.keys() if after[k] != before[k]}


def _shifted(name: str, delta: int):
    return F(name) + delta if delta >= 0 else Greatest(F(name) + delta, Value(0))


def _apply_counted_change(before: _Counted, after: _Counted, *, boards: bool = True) -> None:
    """Move counters by what changed between two _counted() readings, with F()."""
    if boards:
        threads = _difference(before.board_threads, after.board_threads)
        posts = _difference(before.board_posts, after.board_posts)
        for board_id in threads.keys() | posts.keys():
            Board.objects.filter(pk=board_id).update(
                thread_count=_shifted("thread_count", threads.get(board_id, 0)),
                post_count=_shifted("post_count", posts.get(board_id, 0)),
            )
    account_services.user_counts_adjust(
        posts=_difference(before.user_posts, after.user_posts),
        threads=_difference(before.user_threads, after.user_threads),
    )


def _board_last(board_id: int) -> dict:
    last = (
        Thread.objects.visible()
        .not_moved()
        .filter(board_id=board_id)
        .order_by("-last_posted_at", "-id")
        .values("pk", "title", "last_poster_name", "last_posted_at")
        .first()
    )
    if last is None:
        return {
            "last_thread_id": None,
            "last_thread_title": "",
            "last_poster_name": "",
            "last_posted_at": None,
        }
    return {
        "last_thread_id": last["pk"],
        "last_thread_title": last["title"],
        "last_poster_name": last["last_poster_name"],
        "last_posted_at": last["last_posted_at"],
    }


def _board_refresh_last(board_id: int) -> None:
    Board.objects.filter(pk=board_id).update(**_board_last(board_id))


def _thread_last_activity(thread_id: int) -> dict:
    last = (
        Post.objects.visible()
        .filter(thread_id=thread_id)
        .order_by("-floor")
        .values("created_at", "author_name")
        .first()
    )
    if last is None:
        return {}
    return {"last_posted_at": last["created_at"], "last_poster_name": last["author_name"]}


def _renumber_floors(thread_ids: list[int]) -> None:
    """Give each thread's posts floors 1..N in time order, in two set-based passes.

    (thread, floor) is unique and PostgreSQL checks it row by row, so first every
    floor is lifted above any final value, then all are set from ROW_NUMBER().
    """
    # Replies awaiting approval have no floor yet and take one when approved.
    posts = Post.objects.filter(thread_id__in=thread_ids, floor__isnull=False)
    top = posts.aggregate(top=Max("floor"), n=Count("pk"))
    if not top["n"]:
        return
    posts.update(floor=F("floor") + max(top["top"], top["n"]) + 1)
    quote = connection.ops.quote_name
    table, floor, thread, created = (
        quote(Post._meta.db_table),
        quote("floor"),
        quote("thread_id"),
        quote("created_at"),
    )
    marks = ", ".join(["%s"] * len(thread_ids))
    # The ORM cannot UPDATE from a window function; this SQL runs on SQLite 3.33+ and PostgreSQL.
    sql = (
        f"UPDATE {table} SET {floor} = ranked.rn FROM ("  # noqa: S608 - only quoted names
        f"SELECT id, ROW_NUMBER() OVER (PARTITION BY {thread} ORDER BY {created}, id) AS rn"
        f" FROM {table} WHERE {thread} IN ({marks}) AND {floor} IS NOT NULL"
        f") AS ranked WHERE {table}.id = ranked.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(thread_ids))


@transaction.atomic
def thread_sync_counters(*, thread: Thread) -> None:
    """Recount a thread's floors, replies and last activity from its posts (repair path)."""
    # Lock first, so a reply taking a floor right now cannot be counted wrong.
    Thread.objects.select_for_update().filter(pk=thread.pk).exists()
    totals = Post.objects.filter(thread_id=thread.pk).aggregate(
        last_floor=Max("floor"),
        replies=Count("pk", filter=Q(is_hidden=False, is_pending=False, floor__gt=1)),
        pending=Count("pk", filter=Q(is_pending=True, floor__isnull=True)),
    )
    Thread.objects.filter(pk=thread.pk).update(
        last_floor=totals["last_floor"] or 0,
        reply_count=totals["replies"],
        pending_count=totals["pending"],
        **_thread_last_activity(thread.pk),
    )
    _bump(thread_ids=[thread.pk], board_ids=[thread.board_id])


@transaction.atomic
def board_sync_counters(*, board: Board) -> None:
    """Recount a board's threads, posts and last thread from rows (repair path)."""
    Board.objects.select_for_update().filter(pk=board.pk).exists()
    threads = Thread.objects.visible().not_moved().filter(board_id=board.pk)
    Board.objects.filter(pk=board.pk).update(
        thread_count=threads.count(),
        post_count=Post.objects.visible().filter(thread__in=threads).count(),
        **_board_last(board.pk),
    )
    _bump(board_ids=[board.pk])


THREAD_FLAGS = frozenset(
    {
        "is_pinned",
        "is_announcement",
        "is_locked",
        "is_featured",
        "bug_status",
        "fixed_in_version",
        "slow_mode_seconds",
    }
)


def thread_set_flags(*, thread: Thread, **flags) -> None:
    """Pin, announce, lock, feature, or set a bug report's status."""
    unknown = set(flags) - THREAD_FLAGS
    if unknown:
        raise TypeError(f"not a thread flag: {', '.join(sorted(unknown))}")
    Thread.objects.filter(pk=thread.pk).update(**flags)
    for name, value in flags.items():
        setattr(thread, name, value)
    reputation.thread_flags_changed(thread, flags)
    _bump(
        thread_ids=[thread.pk],
        board_ids=[thread.board_id],
        announcements="is_announcement" in flags or thread.is_announcement,
    )


@transaction.atomic
def thread_hide(*, thread: Thread, actor, reason: str) -> bool:
    """Soft-delete a thread; its counts leave the board and the authors. False if already hidden."""
    before = _counted([thread.pk])
    if not Thread.objects.filter(pk=thread.pk, is_hidden=False).update(
        **_hidden_fields(actor, reason)
    ):
        return False
    _apply_counted_change(before, _counted([thread.pk]))
    _board_refresh_last(thread.board_id)
    _bump(thread_ids=[thread.pk], board_ids=[thread.board_id], announcements=thread.is_announcement)
    return True


@transaction.atomic
def thread_restore(*, thread: Thread) -> bool:
    """Undo thread_hide: every counter it took comes back. False if not hidden."""
    before = _counted([thread.pk])
    if not Thread.objects.filter(pk=thread.pk, is_hidden=True).update(is_hidden=False, **_UNHIDDEN):
        return False
    _apply_counted_change(before, _counted([thread.pk]))
    _board_refresh_last(thread.board_id)
    _bump(thread_ids=[thread.pk], board_ids=[thread.board_id], announcements=thread.is_announcement)
    return True


def _post_counts_move(*, post: Post, delta: int) -> None:
    """The fast path for one post: its thread's replies, and board/author if the thread counts."""
    # Lock the thread first: a reply landing now must not be overwritten by a stale last post.
    thread = (
        Thread.objects.select_for_update()
        .values("board_id", "is_hidden", "moved_to_id")
        .get(pk=post.thread_id)
    )
    if post.floor > 1:
        replies = Thread.objects.filter(pk=post.thread_id)
        if delta < 0:
            replies = replies.filter(reply_count__gt=0)
        last = _thread_last_activity(post.thread_id)
        replies.update(reply_count=F("reply_count") + delta, **last)
    if not (thread["is_hidden"] or thread["moved_to_id"]):
        boards = Board.objects.filter(pk=thread["board_id"])
        if delta < 0:
            boards = boards.filter(post_count__gt=0)
        boards.update(post_count=F("post_count") + delta)
        account_services.user_counts_adjust(posts={post.author_id: delta})
    _bump(thread_ids=[post.thread_id], board_ids=[thread["board_id"]])


@transaction.atomic
def post_hide(*, post: Post, actor, reason: str) -> bool:
    """Soft-delete a reply. False if already hidden."""
    if post.floor == 1:
        raise ValidationError(_("The opening post cannot be hidden on its own: hide the thread."))
    if post.is_pending or post.floor is None:
        raise ValidationError(_("This post awaits approval: approve or reject it in the queue."))
    if not Post.objects.filter(pk=post.pk, is_hidden=False).update(**_hidden_fields(actor, reason)):
        return False
    _post_counts_move(post=post, delta=-1)
    return True


@transaction.atomic
def post_restore(*, post: Post) -> bool:
    """Undo post_hide. False if not hidden."""
    if post.floor is None:
        raise ValidationError(_("A rejected post has no place in the thread to return to."))
    if not Post.objects.filter(pk=post.pk, is_hidden=True).update(is_hidden=False, **_UNHIDDEN):
        return False
    _post_counts_move(post=post, delta=+1)
    return True


def post_set_helpful(*, post: Post, helpful: bool) -> bool:
    """Mark or unmark a post as helpful; False if it already was so."""
    changed = Post.objects.filter(pk=post.pk).exclude(is_helpful=helpful).update(is_helpful=helpful)
    if changed:
        post.is_helpful = helpful
        reputation.helpful_changed(post, helpful)
        caching.bump_on_commit(caching.thread_scope(post.thread_id))
    return bool(changed)


def _check_movable(thread: Thread) -> None:
    if thread.moved_to_id:
        raise ValidationError(_("This is a notice of a thread that moved; act on the thread."))


@transaction.atomic
def thread_move(*, thread: Thread, to_board: Board, actor, leave_notice: bool = True):
    """Move a thread to another board; returns the "Moved" notice left behind, if any."""
    _check_movable(thread)
    if thread.board_id == to_board.pk:
        raise ValidationError(_("The thread is already in this board."))
    from_board_id = thread.board_id
    before = _counted([thread.pk])
    Thread.objects.filter(pk=thread.pk).update(board=to_board)
    thread.board, thread.board_id = to_board, to_board.pk
    notice = None
    if leave_notice and not thread.is_hidden:
        notice = Thread.objects.create(
            board_id=from_board_id,
            title=thread.title,
            slug=thread.slug,
            thread_type=thread.thread_type,
            author_id=thread.author_id,
            author_name=thread.author_name,
            device_id=thread.device_id,
            firmware_version=thread.firmware_version,
            last_floor=0,
            last_posted_at=thread.last_posted_at,
            last_poster_name=thread.last_poster_name,
            moved_to=thread,
        )
    # Moving a thread back home retires the notice it left there.
    Thread.objects.filter(board=to_board, moved_to=thread, is_hidden=False).update(
        **_hidden_fields(actor, _("The thread moved back here."))
    )
    _apply_counted_change(before, _counted([thread.pk]))
    _board_refresh_last(from_board_id)
    _board_refresh_last(to_board.pk)
    _bump(
        thread_ids=[thread.pk],
        board_ids=[from_board_id, to_board.pk],
        announcements=thread.is_announcement,
    )
    return notice


@transaction.atomic
def thread_merge(*, source: Thread, target: Thread, actor, leave_notice: bool = True) -> None:
    """Move every post of `source` into `target`, in time order, floors 1..N without gaps.

    `source` keeps its row as a notice pointing at `target` (its URL redirects
    there), listed in its board as "Moved: …" or hidden when no notice is wanted.
    """
    if source.pk == target.pk:
        raise ValidationError(_("A thread cannot be merged into itself."))
    _check_movable(source)
    _check_movable(target)
    if source.is_hidden or target.is_hidden:
        raise ValidationError(_("Restore hidden threads before merging them."))
    before = _counted([source.pk, target.pk])
    top = Post.objects.filter(thread=target).aggregate(top=Max("floor"))["top"] or 0
    Post.objects.filter(thread=source).update(thread=target, floor=F("floor") + top)
    _renumber_floors([target.pk])
    notice = {"moved_to": target, "last_floor": 0, "reply_count": 0}
    notice |= {"is_pinned": False, "is_announcement": False}
    if not leave_notice:
        notice |= _hidden_fields(actor, _("Merged into another thread."))
    Thread.objects.filter(pk=source.pk).update(**notice)
    # Whoever watched the merged thread goes on hearing of its replies there.
    ThreadWatch.objects.bulk_create(
        [
            ThreadWatch(user_id=user_id, thread=target)
            for user_id in ThreadWatch.objects.filter(thread=source).values_list(
                "user_id", flat=True
            )
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    thread_sync_counters(thread=target)
    _apply_counted_change(before, _counted([source.pk, target.pk]), boards=False)
    for board in {source.board_id: source.board, target.board_id: target.board}.values():
        board_sync_counters(board=board)
    _bump(
        thread_ids=[source.pk, target.pk],
        board_ids=[source.board_id, target.board_id],
        announcements=source.is_announcement or target.is_announcement,
    )


@transaction.atomic
def thread_split(*, thread: Thread, post_ids, title: str, actor) -> Thread:
    """Move the chosen posts into a new thread in the same board.

    The earliest chosen post opens the new thread; both threads end with floors
    1..N without gaps, in time order.
    """
    _check_movable(thread)
    if thread.is_hidden:
        raise ValidationError(_("Restore the thread before splitting it."))
    cleaned = _clean({"title": (validate_title, title)})
    wanted = {int(pk) for pk in post_ids}
    placed = Post.objects.filter(thread=thread, floor__isnull=False)  # not ones awaiting approval
    moving = list(
        placed.filter(pk__in=wanted)
        .order_by("created_at", "pk")
        .values("pk", "author_id", "author_name", "created_at")
    )
    if not moving or len(moving) != len(wanted):
        raise ValidationError({"posts": [_("Choose one or more posts of this thread.")]})
    if len(moving) == placed.count():
        raise ValidationError({"posts": [_("Leave at least one post in the thread.")]})
    before = _counted([thread.pk])
    first = moving[0]
    new = Thread.objects.create(
        board_id=thread.board_id,
        title=cleaned["title"],
        slug=thread_slug(cleaned["title"]),
        author_id=first["author_id"],
        author_name=first["author_name"],
        device_id=thread.device_id,
        last_floor=0,
        last_posted_at=first["created_at"],
        last_poster_name=first["author_name"],
    )
    Post.objects.filter(pk__in=[p["pk"] for p in moving]).update(thread=new)
    _renumber_floors([thread.pk, new.pk])
    thread_sync_counters(thread=thread)
    thread_sync_counters(thread=new)
    _apply_counted_change(before, _counted([thread.pk, new.pk]), boards=False)
    board_sync_counters(board=thread.board)
    _bump(thread_ids=[thread.pk, new.pk], board_ids=[thread.board_id])
    new.refresh_from_db()
    return new


def _role(*, board: Board | None, section: Section | None):
    """The role table, the lookup of this role, and the boards it reaches."""
    if (board is None) == (section is None):
        raise TypeError("give a board or a section")
    if board is not None:
        return BoardModerator, {"board": board}, [board.pk]
    boards = list(section.boards.values_list("pk", flat=True))
    return SectionModerator, {"section": section}, boards


def moderator_role_grant(*, user, board: Board | None = None, section: Section | None = None):
    """Make `user` a moderator of one board or of every board of a section; False if already."""
    model, where, board_ids = _role(board=board, section=section)
    _link, created = model.objects.get_or_create(user=user, **where)
    forget_moderation_reach(user)
    _bump(board_ids=board_ids)  # boards list their moderators
    return created


def moderator_role_revoke(*, user, board: Board | None = None, section: Section | None = None):
    model, where, board_ids = _role(board=board, section=section)
    removed, _details = model.objects.filter(user=user, **where).delete()
    forget_moderation_reach(user)
    _bump(board_ids=board_ids)
    return bool(removed)


# Early-access programs' private boards ---------------------------------------


@transaction.atomic
def program_board_set(*, program, board: Board | None) -> None:
    """Make `board` the program's private board (None: the program has none).

    A board that stops being private becomes as visible as its own
    visibility says. Cached anonymous pages listing boards and announcements
    are refreshed; board and thread pages check access before the cache.
    """
    taken = ValidationError({"board": [_("This board is already private to another program.")]})
    if board is not None and board.program_id not in (None, program.pk):
        raise taken
    released = Board.objects.filter(program=program)
    if board is not None:
        released = released.exclude(pk=board.pk)
    changed = list(released.values_list("pk", flat=True))
    released.update(program=None)
    if board is not None and board.program_id != program.pk:
        # Conditional: two programs claiming one board at once cannot both win.
        free = Board.objects.filter(Q(program__isnull=True) | Q(program=program), pk=board.pk)
        if not free.update(program=program):
            raise taken
        board.program = program
        changed.append(board.pk)
    if changed:
        _bump(board_ids=changed, announcements=True)
