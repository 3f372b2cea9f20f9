"""The raw state changes behind moderators' actions: not exported, not for views.

Each one changes rows, counters and page cache versions, and nothing else: it
checks no permission, writes no audit row and tells nobody. moderation.services
wraps each in the checked, audited verb a moderator uses (thread_hide around
hide_thread, thread_move around move_thread, pending_approve around
approve_pending_post, ...); only it may import this module (the `protected`
contract in pyproject.toml).

What the counters count is written in forum.services.counters, whose repair
functions recount it.
"""

import dataclasses
from collections import Counter
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Max, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import Program, User
from forum import caching
from forum.models import (
    Board,
    BoardModerator,
    Post,
    Section,
    SectionModerator,
    Thread,
    ThreadVote,
    ThreadWatch,
)
from forum.permissions import forget_moderation_reach
from forum.services import reputation
from forum.services.counters import (
    board_last,
    board_sync_counters,
    thread_last_activity,
    thread_sync_counters,
)
from forum.services.polls import close_now
from forum.services.posting import open_for_reply, reply_claim_floor, reply_publish
from forum.services.threads import thread_publish, thread_slug
from forum.services.triage import thread_sync_vote_count
from forum.validators import clean_fields, validate_title

_UNHIDDEN = {"hidden_by": None, "hidden_by_name": "", "hidden_reason": "", "hidden_at": None}


def _hidden_fields(actor, reason: str) -> dict:
    return {
        "is_hidden": True,
        "hidden_by": actor,
        "hidden_by_name": actor.username if actor else "",
        "hidden_reason": reason[:500],
        "hidden_at": timezone.now(),
    }


@dataclasses.dataclass
class _Counted:
    """What some threads add to their boards' and authors' counters."""

    board_threads: Counter = dataclasses.field(default_factory=Counter)
    board_posts: Counter = dataclasses.field(default_factory=Counter)
    user_threads: Counter = dataclasses.field(default_factory=Counter)
    user_posts: Counter = dataclasses.field(default_factory=Counter)


def _counted(thread_ids: Iterable[int]) -> _Counted:
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


def _board_refresh_last(board_id: int) -> None:
    Board.objects.filter(pk=board_id).update(**board_last(board_id))


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


def set_thread_flags(
    *,
    thread: Thread,
    is_pinned: bool | None = None,
    is_announcement: bool | None = None,
    is_locked: bool | None = None,
    is_featured: bool | None = None,
    bug_status: str | None = None,
    fixed_in_version: str | None = None,
    slow_mode_seconds: int | None = None,
) -> None:
    """Pin, announce, lock, feature, or set a bug report's status; None leaves a flag as it is."""
    given = {
        "is_pinned": is_pinned,
        "is_announcement": is_announcement,
        "is_locked": is_locked,
        "is_featured": is_featured,
        "bug_status": bug_status,
        "fixed_in_version": fixed_in_version,
        "slow_mode_seconds": slow_mode_seconds,
    }
    flags = {name: value for name, value in given.items() if value is not None}
    if not flags:
        return
    Thread.objects.filter(pk=thread.pk).update(**flags)
    for name, value in flags.items():
        setattr(thread, name, value)
    reputation.thread_flags_changed(thread, flags)
    caching.bump_pages_on_commit(
        thread_ids=[thread.pk],
        board_ids=[thread.board_id],
        announcements="is_announcement" in flags or thread.is_announcement,
    )


@transaction.atomic
def hide_thread(*, thread: Thread, actor: User | None, reason: str) -> bool:
    """Soft-delete a thread; its counts leave the board and the authors. False if already hidden."""
    before = _counted([thread.pk])
    if not Thread.objects.filter(pk=thread.pk, is_hidden=False).update(
        **_hidden_fields(actor, reason)
    ):
        return False
    _apply_counted_change(before, _counted([thread.pk]))
    _board_refresh_last(thread.board_id)
    caching.bump_pages_on_commit(
        thread_ids=[thread.pk], board_ids=[thread.board_id], announcements=thread.is_announcement
    )
    return True


@transaction.atomic
def restore_thread(*, thread: Thread) -> bool:
    """Undo hide_thread: every counter it took comes back. False if not hidden."""
    before = _counted([thread.pk])
    if not Thread.objects.filter(pk=thread.pk, is_hidden=True).update(is_hidden=False, **_UNHIDDEN):
        return False
    _apply_counted_change(before, _counted([thread.pk]))
    _board_refresh_last(thread.board_id)
    caching.bump_pages_on_commit(
        thread_ids=[thread.pk], board_ids=[thread.board_id], announcements=thread.is_announcement
    )
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
        last = thread_last_activity(post.thread_id)
        replies.update(reply_count=F("reply_count") + delta, **last)
    if not (thread["is_hidden"] or thread["moved_to_id"]):
        boards = Board.objects.filter(pk=thread["board_id"])
        if delta < 0:
            boards = boards.filter(post_count__gt=0)
        boards.update(post_count=F("post_count") + delta)
        account_services.user_counts_adjust(posts={post.author_id: delta})
    caching.bump_pages_on_commit(thread_ids=[post.thread_id], board_ids=[thread["board_id"]])


@transaction.atomic
def hide_post(*, post: Post, actor: User | None, reason: str) -> bool:
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
def restore_post(*, post: Post) -> bool:
    """Undo hide_post. False if not hidden."""
    if post.floor is None:
        raise ValidationError(_("A rejected post has no place in the thread to return to."))
    if not Post.objects.filter(pk=post.pk, is_hidden=True).update(is_hidden=False, **_UNHIDDEN):
        return False
    _post_counts_move(post=post, delta=+1)
    return True


def set_post_helpful(*, post: Post, helpful: bool) -> bool:
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
def move_thread(
    *, thread: Thread, to_board: Board, actor: User | None, leave_notice: bool = True
) -> Thread | None:
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
    caching.bump_pages_on_commit(
        thread_ids=[thread.pk],
        board_ids=[from_board_id, to_board.pk],
        announcements=thread.is_announcement,
    )
    return notice


@transaction.atomic
def merge_threads(
    *, source: Thread, target: Thread, actor: User | None, leave_notice: bool = True
) -> None:
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
    caching.bump_pages_on_commit(
        thread_ids=[source.pk, target.pk],
        board_ids=[source.board_id, target.board_id],
        announcements=source.is_announcement or target.is_announcement,
    )


@transaction.atomic
def split_thread(
    *, thread: Thread, post_ids: Iterable[int | str], title: str, actor: User | None
) -> Thread:
    """Move the chosen posts into a new thread in the same board.

    The earliest chosen post opens the new thread; both threads end with floors
    1..N without gaps, in time order.
    """
    _check_movable(thread)
    if thread.is_hidden:
        raise ValidationError(_("Restore the thread before splitting it."))
    cleaned = clean_fields({"title": (validate_title, title)})
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
    caching.bump_pages_on_commit(thread_ids=[thread.pk, new.pk], board_ids=[thread.board_id])
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


def grant_moderator_role(
    *, user: User, board: Board | None = None, section: Section | None = None
) -> bool:
    """Make `user` a moderator of one board or of every board of a section; False if already."""
    model, where, board_ids = _role(board=board, section=section)
    _link, created = model.objects.get_or_create(user=user, **where)
    forget_moderation_reach(user)
    caching.bump_pages_on_commit(board_ids=board_ids)  # boards list their moderators
    return created


def revoke_moderator_role(
    *, user: User, board: Board | None = None, section: Section | None = None
) -> bool:
    model, where, board_ids = _role(board=board, section=section)
    removed, _details = model.objects.filter(user=user, **where).delete()
    forget_moderation_reach(user)
    caching.bump_pages_on_commit(board_ids=board_ids)
    return bool(removed)


# Early-access programs' private boards --------------------------------------


@transaction.atomic
def set_program_board(*, program: Program, board: Board | None) -> None:
    """Make `board` the program's private board (None: the program has none).

    A board that stops being private becomes as visible as its own
    visibility says. Cached anonymous pages listing boards and announcements
    are refreshed, and every anonymous page with them (the boards' version is in
    every key: board and thread pages are looked up before their access is checked).
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
        caching.bump_pages_on_commit(board_ids=changed, announcements=True)
        caching.bump_on_commit(caching.BOARDS)


# Posts held for approval (forum.services.posting_rules) --------------------
#
# Approving publishes exactly as posting would have (counters, last post,
# watchers and mentions notified, page cache versions), at the time of
# approval; rejecting leaves the content hidden with the reason. Nothing is deleted.


def _check_pending(post: Post) -> None:
    if not post.is_pending:
        raise ValidationError(_("This post is no longer awaiting approval."))


@transaction.atomic
def approve_pending_post(*, post: Post) -> Post:
    """Publish a held thread (its opening post) or a held reply.

    `post` comes locked, with thread__board and author loaded.
    """
    _check_pending(post)
    if post.author is None:
        raise ValidationError(_("The author's account is gone: reject the post."))
    thread = post.thread
    now = timezone.now()
    if post.floor == 1:
        if thread.is_hidden:
            raise ValidationError(_("Restore the thread before approving it."))
        Thread.objects.filter(pk=thread.pk).update(
            is_pending=False, created_at=now, last_posted_at=now
        )
        Post.objects.filter(pk=post.pk).update(is_pending=False, created_at=now)
        thread.is_pending, thread.created_at, thread.last_posted_at = False, now, now
        post.is_pending, post.created_at = False, now
        thread_publish(thread=thread, opening=post, author=post.author, now=now)
        return post
    open_threads = open_for_reply(thread, None)  # no author: locked threads take it too
    if not open_threads.exists():
        raise ValidationError(_("The thread is hidden or awaiting approval: reject the reply."))
    # Published now, at the end of the thread: it takes the next floor, so no
    # reader finds it slipped in above what they had already read.
    floor = reply_claim_floor(
        thread=thread,
        author=post.author,
        now=now,
        open_threads=open_threads,
        releases_pending=True,
    )
    Post.objects.filter(pk=post.pk).update(is_pending=False, floor=floor, created_at=now)
    post.is_pending, post.floor, post.created_at = False, floor, now
    thread.last_floor = floor
    reply_publish(thread=thread, post=post, author=post.author, now=now)
    return post


@transaction.atomic
def reject_pending_post(*, post: Post, actor: User | None, reason: str) -> Post:
    """Hide a held thread or reply with the reason; it never counted, so no counter moves."""
    _check_pending(post)
    thread = post.thread
    hidden = _hidden_fields(actor, reason)
    if post.floor == 1:
        # A hidden thread like any other: restoring it later publishes it, counters and all.
        Thread.objects.filter(pk=thread.pk).update(is_pending=False, **hidden)
        Post.objects.filter(pk=post.pk).update(is_pending=False)
        thread.is_pending, thread.is_hidden = False, True
        thread.hidden_reason = hidden["hidden_reason"]
    else:
        Post.objects.filter(pk=post.pk).update(is_pending=False, **hidden)
        Thread.objects.filter(pk=thread.pk, pending_count__gt=0).update(
            pending_count=F("pending_count") - 1
        )
        post.is_hidden, post.hidden_reason = True, hidden["hidden_reason"]
    post.is_pending = False
    return post


# Triage: feedback status, duplicates, releases -----------------------------------


def set_feedback_status(*, thread: Thread, status: str, reason: str) -> None:
    Thread.objects.filter(pk=thread.pk).update(feedback_status=status, status_reason=reason)
    thread.feedback_status, thread.status_reason = status, reason
    caching.bump_pages_on_commit(thread_ids=[thread.pk], board_ids=[thread.board_id])


def link_release(*, thread: Thread, release: Thread | None) -> None:
    """Name the release-notes thread that fixed this bug (None: none)."""
    Thread.objects.filter(pk=thread.pk).update(fixed_in_release=release)
    thread.fixed_in_release = release
    pages = [thread.pk] + ([release.pk] if release else [])
    caching.bump_pages_on_commit(thread_ids=pages, board_ids=[thread.board_id])


def mark_duplicate(*, duplicate: Thread, original: Thread) -> int:
    """Close `duplicate` (locked, pointing at `original`) and move its "me too" votes there.

    Members who voted on both count once; the duplicate's author hit the bug too and
    counts as one more "me too" on the original (unless they wrote or voted on it).
    Both rows must be locked by the caller. Returns how many votes the original gained.
    """
    voted_there = ThreadVote.objects.filter(thread=original).values("user_id")
    before = original.vote_count
    ThreadVote.objects.filter(thread=duplicate).exclude(user_id__in=voted_there).exclude(
        user_id=original.author_id
    ).update(thread=original)
    ThreadVote.objects.filter(thread=duplicate).delete()  # the votes counted there already
    if duplicate.author_id and duplicate.author_id != original.author_id:
        ThreadVote.objects.bulk_create(
            [
                ThreadVote(
                    thread=original,
                    user_id=duplicate.author_id,
                    device_id=duplicate.device_id,
                    firmware_version=duplicate.firmware_version,
                )
            ],
            ignore_conflicts=True,
        )
    Thread.objects.filter(pk=duplicate.pk).update(
        duplicate_of=original, is_locked=True, vote_count=0
    )
    duplicate.duplicate_of, duplicate.is_locked, duplicate.vote_count = original, True, 0
    thread_sync_vote_count(thread=original)
    original.refresh_from_db(fields=["vote_count"])
    caching.bump_pages_on_commit(
        thread_ids=[duplicate.pk, original.pk],
        board_ids=sorted({duplicate.board_id, original.board_id}),
    )
    return original.vote_count - before


def close_poll(*, poll, thread: Thread, actor: User) -> bool:
    """Close a thread's poll now (False when it was closed already): forum.services.polls."""
    return close_now(poll=poll, thread=thread, actor=actor)
