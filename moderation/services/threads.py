"""Moderators' actions on threads and posts.

Each action, in one transaction: lock the content, check the actor moderates
its board (PermissionDenied otherwise, before anything is written), make the
change through forum.services (counters and page-cache versions live there),
append one AuditLog row, and tell the content's author why. Nothing is ever
hard-deleted: hiding is a soft delete that restore undoes exactly.

Later moderation features (report and approval queues, warnings, suspensions)
call these same functions, so every path is audited alike.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from config.jobs import enqueue_on_commit
from forum.models import VOTED_TYPES, Board, BugStatus, FeedbackStatus, Post, Thread, ThreadType
from forum.permissions import check_can_moderate
from forum.services import _moderation_unchecked as forum_unchecked
from forum.validators import validate_firmware_version
from moderation.models import AuditLog, WebhookDelivery
from moderation.services.audit import audit_record, notify_author, required_reason
from moderation.services.program_scores import REMOVED_POST, score_after_commit
from moderation.services.webhooks import webhook_queue

Action = AuditLog.Action
Event = WebhookDelivery.Event


def lock_thread(thread: Thread | int) -> Thread:
    pk = thread if isinstance(thread, int) else thread.pk
    return (
        Thread.objects.select_for_update(of=("self",)).select_related("board", "author").get(pk=pk)
    )


def _check_not_notice(thread: Thread) -> None:
    if thread.moved_to_id:
        raise ValidationError(_("This is a notice of a thread that moved; act on the thread."))


# Flags: pin, announce, lock, feature, bug status ------------------------------

# What the author is told (keys of moderation.notification_texts).
_FLAG_NOTICES = {
    Action.THREAD_PIN: "moderation.thread_pinned",
    Action.THREAD_ANNOUNCE: "moderation.thread_announced",
    Action.THREAD_UNPIN: "moderation.thread_unpinned",
    Action.THREAD_LOCK: "moderation.thread_locked",
    Action.THREAD_UNLOCK: "moderation.thread_unlocked",
    Action.THREAD_FEATURE: "moderation.thread_featured",
    Action.THREAD_UNFEATURE: "moderation.thread_unfeatured",
    Action.THREAD_BUG_STATUS: "moderation.thread_bug_status",
    Action.THREAD_SLOW_MODE: "moderation.thread_slow_mode",
}


def _thread_flags(
    *, thread: Thread, actor: User, action: str, changes: dict, reason: str, ip: str | None
) -> Thread:
    thread = lock_thread(thread)
    check_can_moderate(actor, thread.board)
    _check_not_notice(thread)
    before = {name: getattr(thread, name) for name in changes}
    if before == changes:
        return thread  # already so: nothing to change, log or tell
    forum_unchecked.set_thread_flags(thread=thread, **changes)
    audit_record(
        actor=actor,
        action=action,
        target=thread,
        reason=reason,
        before=before,
        after=changes,
        ip=ip,
    )
    title_key, params = _FLAG_NOTICES[action], {"title": thread.title}
    if action == Action.THREAD_BUG_STATUS:
        params["status"] = thread.bug_status
        if thread.bug_status == BugStatus.FIXED and thread.fixed_in_version:
            title_key = "moderation.thread_bug_fixed"
            params["version"] = thread.fixed_in_version
    notify_author(
        author=thread.author,
        actor=actor,
        target_url=thread.get_absolute_url(),
        title_key=title_key,
        title_params=params,
        reason=reason,
    )
    return thread


@transaction.atomic
def thread_pin(
    *, thread: Thread, actor: User, site_wide: bool = False, reason: str = "", ip: str | None = None
) -> Thread:
    """Pin on top of its board, or site-wide as an announcement on every board."""
    if site_wide:
        action, changes = Action.THREAD_ANNOUNCE, {"is_announcement": True}
    else:
        action, changes = Action.THREAD_PIN, {"is_pinned": True}
    return _thread_flags(
        thread=thread, actor=actor, action=action, changes=changes, reason=reason, ip=ip
    )


@transaction.atomic
def thread_unpin(*, thread: Thread, actor: User, reason: str = "", ip: str | None = None) -> Thread:
    """Take a thread off its board's top and off the announcements."""
    return _thread_flags(
        thread=thread,
        actor=actor,
        action=Action.THREAD_UNPIN,
        changes={"is_pinned": False, "is_announcement": False},
        reason=reason,
        ip=ip,
    )


@transaction.atomic
def thread_lock(*, thread: Thread, actor: User, reason: str = "", ip: str | None = None) -> Thread:
    return _thread_flags(
        thread=thread,
        actor=actor,
        action=Action.THREAD_LOCK,
        changes={"is_locked": True},
        reason=reason,
        ip=ip,
    )


@transaction.atomic
def thread_unlock(
    *, thread: Thread, actor: User, reason: str = "", ip: str | None = None
) -> Thread:
    return _thread_flags(
        thread=thread,
        actor=actor,
        action=Action.THREAD_UNLOCK,
        changes={"is_locked": False},
        reason=reason,
        ip=ip,
    )


@transaction.atomic
def thread_feature(
    *, thread: Thread, actor: User, reason: str = "", ip: str | None = None
) -> Thread:
    """Put a thread in the featured digest."""
    return _thread_flags(
        thread=thread,
        actor=actor,
        action=Action.THREAD_FEATURE,
        changes={"is_featured": True},
        reason=reason,
        ip=ip,
    )


@transaction.atomic
def thread_unfeature(
    *, thread: Thread, actor: User, reason: str = "", ip: str | None = None
) -> Thread:
    return _thread_flags(
        thread=thread,
        actor=actor,
        action=Action.THREAD_UNFEATURE,
        changes={"is_featured": False},
        reason=reason,
        ip=ip,
    )


@transaction.atomic
def thread_set_bug_status(
    *,
    thread: Thread,
    actor: User,
    status: str,
    fixed_in_version: str = "",
    release: Thread | None = None,
    reason: str = "",
    ip: str | None = None,
) -> Thread:
    """Confirmed, not reproducible, or fixed in a firmware version (bug reports only).

    Fixed links the bug to a release-notes thread: `release` when given, else the
    newest release notes of that version for the bug's device (or for no device).
    Everyone who said "me too" is told it is fixed (a task, set-based), and the
    firmware team's webhook hears of confirmed and fixed bugs.
    """
    locked = lock_thread(thread)
    check_can_moderate(actor, locked.board)
    if locked.thread_type != ThreadType.BUG:
        raise ValidationError(_("Only bug reports have a status."))
    if status not in BugStatus.values:
        raise ValidationError({"status": [_("Choose a valid status.")]})
    version = validate_firmware_version(fixed_in_version) if status == BugStatus.FIXED else ""
    if status == BugStatus.FIXED and not version:
        raise ValidationError({"fixed_in_version": [_("Say which version fixed it.")]})
    if release is not None and status != BugStatus.FIXED:
        raise ValidationError({"release": [_("Only a fixed bug names its release.")]})
    if status == BugStatus.FIXED:
        release = _release_for(locked, version, release)
    was_fixed_in = (locked.bug_status, locked.fixed_in_version)
    before_release = locked.fixed_in_release_id
    thread = _thread_flags(
        thread=locked,
        actor=actor,
        action=Action.THREAD_BUG_STATUS,
        changes={"bug_status": status, "fixed_in_version": version},
        reason=reason,
        ip=ip,
    )
    release_id = release.pk if release else None
    if release_id != before_release:
        forum_unchecked.link_release(thread=thread, release=release)
        if was_fixed_in == (status, version):  # only the link changed: log that alone
            audit_record(
                actor=actor,
                action=Action.THREAD_BUG_STATUS,
                target=thread,
                reason=reason,
                before={"fixed_in_release": before_release},
                after={"fixed_in_release": release_id},
                ip=ip,
            )
    if was_fixed_in != (status, version):
        if status == BugStatus.FIXED:
            enqueue_on_commit("forum.notify_bug_fixed", thread.pk)
            webhook_queue(event=Event.BUG_FIXED, thread=thread, actor_name=actor.username)
        elif status == BugStatus.CONFIRMED:
            webhook_queue(event=Event.BUG_CONFIRMED, thread=thread, actor_name=actor.username)
    # Reputation: call accounts.services.reputation_change(...) for the reporter here.
    return thread


def _release_for(bug: Thread, version: str, release: Thread | None) -> Thread | None:
    if release is not None:
        if release.thread_type != ThreadType.RELEASE or release.moved_to_id:
            raise ValidationError({"release": [_("Choose a release-notes thread.")]})
        return release
    candidates = Thread.objects.filter(
        thread_type=ThreadType.RELEASE,
        firmware_version=version,
        is_hidden=False,
        is_pending=False,
        moved_to__isnull=True,
    )
    if bug.device_id:
        same = candidates.filter(device_id=bug.device_id).order_by("-created_at", "-pk").first()
        if same is not None:
            return same
    return candidates.filter(device__isnull=True).order_by("-created_at", "-pk").first()


@transaction.atomic
def thread_set_feedback_status(
    *, thread: Thread, actor: User, status: str, reason: str = "", ip: str | None = None
) -> Thread:
    """New, under review, adopted, planned, or declined (with the reason, shown beside it)."""
    thread = lock_thread(thread)
    check_can_moderate(actor, thread.board)
    _check_not_notice(thread)
    if thread.thread_type != ThreadType.FEEDBACK:
        raise ValidationError(_("Only feedback has a feedback status."))
    if status not in FeedbackStatus.values:
        raise ValidationError({"status": [_("Choose a valid status.")]})
    reason = " ".join((reason or "").split())[:500]
    if status == FeedbackStatus.DECLINED:
        reason = required_reason(
            reason, why_needed=_("Say why it was declined: the members who voted read it.")
        )
    shown_reason = reason if status == FeedbackStatus.DECLINED else ""
    before = {"feedback_status": thread.feedback_status, "status_reason": thread.status_reason}
    after = {"feedback_status": status, "status_reason": shown_reason}
    if before == after:
        return thread
    forum_unchecked.set_feedback_status(thread=thread, status=status, reason=shown_reason)
    audit_record(
        actor=actor,
        action=Action.THREAD_FEEDBACK_STATUS,
        target=thread,
        reason=reason,
        before=before,
        after=after,
        ip=ip,
    )
    notify_author(
        author=thread.author,
        actor=actor,
        target_url=thread.get_absolute_url(),
        title_key="moderation.thread_feedback_status",
        title_params={"title": thread.title, "status": status},
        reason=reason,
    )
    return thread


@transaction.atomic
def thread_mark_duplicate(
    *, thread: Thread, original: Thread, actor: User, reason: str = "", ip: str | None = None
) -> Thread:
    """Close a bug report or feedback as a duplicate of another: it is locked and points
    there, its "me too" votes move to the original (a member who voted on both counts
    once), its author is told, and the audit log keeps how many votes moved."""
    if thread.pk == original.pk:
        raise ValidationError({"original": [_("A thread cannot duplicate itself.")]})
    # Both rows locked in id order, so two moderators crossing the pair never deadlock.
    first, second = sorted([thread.pk, original.pk])
    locked = {t.pk: t for t in (lock_thread(first), lock_thread(second))}
    thread, original = locked[thread.pk], locked[original.pk]
    check_can_moderate(actor, thread.board)
    check_can_moderate(actor, original.board)
    _check_not_notice(thread)
    if thread.thread_type not in VOTED_TYPES or original.thread_type != thread.thread_type:
        raise ValidationError({"original": [_("Both must be bug reports, or both feedback.")]})
    if original.duplicate_of_id or original.moved_to_id or original.is_hidden:
        raise ValidationError({"original": [_("Choose the open original, not a closed thread.")]})
    if thread.duplicate_of_id:
        raise ValidationError(_("This thread is already closed as a duplicate."))
    was_locked = thread.is_locked
    gained = forum_unchecked.mark_duplicate(duplicate=thread, original=original)
    audit_record(
        actor=actor,
        action=Action.THREAD_DUPLICATE,
        target=thread,
        reason=reason,
        before={"duplicate_of": None, "is_locked": was_locked},
        after={
            "duplicate_of": original.pk,
            "is_locked": True,
            "votes_moved": gained,
        },
        ip=ip,
    )
    notify_author(
        author=thread.author,
        actor=actor,
        target_url=original.get_absolute_url(),
        title_key="moderation.thread_duplicate",
        title_params={"title": thread.title, "target": original.title},
        reason=reason,
    )
    return thread


@transaction.atomic
def thread_set_slow_mode(
    *, thread: Thread, actor: User, seconds: int, reason: str = "", ip: str | None = None
) -> Thread:
    """Make one member wait `seconds` between replies in this thread (0 turns it off).

    Moderators of the board are exempt; forum.limits enforces it on each reply.
    """
    longest = settings.POPCORN["SLOW_MODE_MAX_SECONDS"]
    if not 0 <= seconds <= longest:
        raise ValidationError({"seconds": [_("Choose from 0 to %(n)d seconds.") % {"n": longest}]})
    return _thread_flags(
        thread=thread,
        actor=actor,
        action=Action.THREAD_SLOW_MODE,
        changes={"slow_mode_seconds": seconds},
        reason=reason,
        ip=ip,
    )


# Hiding and restoring ---------------------------------------------------------


@transaction.atomic
def thread_hide(*, thread: Thread, actor: User, reason: str, ip: str | None = None) -> Thread:
    """Soft-delete a thread: moderators still see it, greyed, with who hid it and why."""
    thread = lock_thread(thread)
    check_can_moderate(actor, thread.board)
    reason = required_reason(reason)
    if not forum_unchecked.hide_thread(thread=thread, actor=actor, reason=reason):
        return thread
    audit_record(
        actor=actor,
        action=Action.THREAD_HIDE,
        target=thread,
        reason=reason,
        before={"is_hidden": False},
        after={"is_hidden": True},
        ip=ip,
    )
    notify_author(
        author=thread.author,
        actor=actor,
        target_url=thread.get_absolute_url(),
        title_key="moderation.thread_hidden",
        title_params={"title": thread.title},
        reason=reason,
    )
    score_after_commit(user_id=thread.author_id, reason=REMOVED_POST, source=f"thread:{thread.pk}")
    return thread


@transaction.atomic
def thread_restore(
    *, thread: Thread, actor: User, reason: str = "", ip: str | None = None
) -> Thread:
    thread = lock_thread(thread)
    check_can_moderate(actor, thread.board)
    hidden = {"is_hidden": True, "hidden_by": thread.hidden_by_name, "reason": thread.hidden_reason}
    if not forum_unchecked.restore_thread(thread=thread):
        return thread
    audit_record(
        actor=actor,
        action=Action.THREAD_RESTORE,
        target=thread,
        reason=reason,
        before=hidden,
        after={"is_hidden": False},
        ip=ip,
    )
    notify_author(
        author=thread.author,
        actor=actor,
        target_url=thread.get_absolute_url(),
        title_key="moderation.thread_restored",
        title_params={"title": thread.title},
        reason=reason,
    )
    return thread


# Moving, merging, splitting ---------------------------------------------------


@transaction.atomic
def thread_move(
    *,
    thread: Thread,
    to_board: Board,
    actor: User,
    leave_notice: bool = True,
    reason: str = "",
    ip: str | None = None,
) -> Thread:
    """Move a thread to another board; the mover must moderate both."""
    thread = lock_thread(thread)
    from_board = thread.board
    check_can_moderate(actor, from_board)
    check_can_moderate(actor, to_board)
    notice = forum_unchecked.move_thread(
        thread=thread, to_board=to_board, actor=actor, leave_notice=leave_notice
    )
    audit_record(
        actor=actor,
        action=Action.THREAD_MOVE,
        target_type=AuditLog.TargetType.THREAD,
        target_id=thread.pk,
        target_label=thread.title[:200],
        board_id=from_board.pk,
        subject_id=thread.author_id,
        reason=reason,
        before={"board_id": from_board.pk, "board": from_board.name},
        after={
            "board_id": to_board.pk,
            "board": to_board.name,
            "notice_id": notice.pk if notice else None,
        },
        ip=ip,
    )
    notify_author(
        author=thread.author,
        actor=actor,
        target_url=thread.get_absolute_url(),
        title_key="moderation.thread_moved",
        title_params={"title": thread.title, "board": to_board.name},
        reason=reason,
    )
    return thread


@transaction.atomic
def thread_merge(
    *,
    source: Thread,
    target: Thread,
    actor: User,
    leave_notice: bool = True,
    reason: str = "",
    ip: str | None = None,
) -> Thread:
    """Merge `source`'s posts into `target` (by time, floors renumbered); returns target."""
    # Lock both rows in id order, so two opposite merges cannot deadlock.
    locked = {
        t.pk: t
        for t in Thread.objects.select_for_update(of=("self",))
        .select_related("board", "author")
        .filter(pk__in=[source.pk, target.pk])
        .order_by("pk")
    }
    if source.pk not in locked or target.pk not in locked:
        raise Thread.DoesNotExist
    source, target = locked[source.pk], locked[target.pk]
    check_can_moderate(actor, source.board)
    check_can_moderate(actor, target.board)
    moved = Post.objects.filter(thread=source).count()
    forum_unchecked.merge_threads(
        source=source, target=target, actor=actor, leave_notice=leave_notice
    )
    target.refresh_from_db()
    audit_record(
        actor=actor,
        action=Action.THREAD_MERGE,
        target=source,
        reason=reason,
        before={"thread_id": source.pk, "posts": moved, "board_id": source.board_id},
        after={
            "merged_into": target.pk,
            "title": target.title,
            "board_id": target.board_id,
            "posts": target.last_floor,
        },
        ip=ip,
    )
    notify_author(
        author=source.author,
        actor=actor,
        target_url=target.get_absolute_url(),
        title_key="moderation.thread_merged",
        title_params={"title": source.title, "target": target.title},
        reason=reason,
    )
    return target


@transaction.atomic
def thread_split(
    *,
    thread: Thread,
    post_ids: Iterable[int],
    title: str,
    actor: User,
    reason: str = "",
    ip: str | None = None,
) -> Thread:
    """Move the chosen posts into a new thread with this title; returns the new thread."""
    thread = lock_thread(thread)
    check_can_moderate(actor, thread.board)
    chosen = list(
        Post.objects.filter(thread=thread, pk__in=post_ids)
        .select_related("author")
        .order_by("floor")
    )
    new = forum_unchecked.split_thread(thread=thread, post_ids=post_ids, title=title, actor=actor)
    audit_record(
        actor=actor,
        action=Action.THREAD_SPLIT,
        target=thread,
        reason=reason,
        before={"post_ids": [p.pk for p in chosen], "floors": [p.floor for p in chosen]},
        after={"new_thread_id": new.pk, "title": new.title, "posts": new.last_floor},
        ip=ip,
    )
    authors = {p.author_id: p.author for p in chosen if p.author_id}
    for author in authors.values():
        notify_author(
            author=author,
            actor=actor,
            target_url=new.get_absolute_url(),
            title_key="moderation.posts_split",
            title_params={"title": thread.title, "new": new.title},
            reason=reason,
        )
    return new
