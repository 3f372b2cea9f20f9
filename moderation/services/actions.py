"""Moderators' actions on threads and posts.

Each action, in one transaction: lock the content, check the actor moderates
its board (PermissionDenied otherwise, before anything is written), make the
change through forum.services (counters and page-cache versions live there),
append one AuditLog row, and tell the content's author why. Nothing is ever
hard-deleted: hiding is a soft delete that restore undoes exactly.

Later moderation features (report and approval queues, warnings, suspensions)
call these same functions, so every path is audited alike.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import services as account_services
from accounts.models import NotificationKind
from forum import services as forum_services
from forum.models import Board, BugStatus, Post, Section, Thread, ThreadType
from forum.permissions import check_can_moderate
from forum.validators import validate_firmware_version
from moderation.models import AuditLog

Action = AuditLog.Action


def _lock_thread(thread: Thread | int) -> Thread:
    pk = thread if isinstance(thread, int) else thread.pk
    return (
        Thread.objects.select_for_update(of=("self",)).select_related("board", "author").get(pk=pk)
    )


def _lock_post(post: Post | int) -> Post:
    pk = post if isinstance(post, int) else post.pk
    return (
        Post.objects.select_for_update(of=("self",))
        .select_related("thread__board", "author")
        .get(pk=pk)
    )


def _check_not_notice(thread: Thread) -> None:
    if thread.moved_to_id:
        raise ValidationError(_("This is a notice of a thread that moved; act on the thread."))


def required_reason(reason: str, *, why_needed: str = "") -> str:
    """The reason on one line, at most 500 characters; a field error when it is blank."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": [why_needed or _("Say why, for the author and the log.")]})
    return reason[:500]


def _post_label(post: Post) -> str:
    place = f"#{post.floor}" if post.floor else _("reply awaiting approval")
    return f"{place} · {post.thread.title}"[:200]


def audit_record(
    *,
    actor,
    action: str,
    target: Thread | Post | None = None,
    target_type: str = "",
    target_id: int | None = None,
    target_label: str = "",
    board_id: int | None = None,
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
    ip: str | None = None,
    subject_id: int | None = None,
) -> AuditLog:
    """Append one row to the audit log, in the caller's transaction.

    `subject_id` (whose content or account it was) comes from the target when given.
    """
    if target_type == AuditLog.TargetType.USER:
        subject_id = target_id
    if isinstance(target, Thread):
        target_type, target_id = AuditLog.TargetType.THREAD, target.pk
        target_label, board_id = target.title[:200], target.board_id
        subject_id = target.author_id
    elif isinstance(target, Post):
        target_type, target_id = AuditLog.TargetType.POST, target.pk
        target_label, board_id = _post_label(target), target.thread.board_id
        subject_id = target.author_id
    return AuditLog.objects.create(
        subject_id=subject_id,
        actor=actor,
        actor_name=actor.username if actor else "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        board_id=board_id,
        reason=reason[:500],
        before=before,
        after=after,
        ip=ip,
    )


def _notify_author(*, author, actor, target_url: str, what: str, reason: str) -> None:
    if author is None:
        return
    account_services.notification_create(
        recipient=author,
        kind=NotificationKind.MODERATION,
        target_url=target_url,
        target_title=what,
        actor=actor,
        excerpt=reason,
    )


# Flags: pin, announce, lock, feature, bug status ------------------------------

_FLAG_NOTICES = {
    Action.THREAD_PIN: gettext_lazy("“%(title)s” was pinned"),
    Action.THREAD_ANNOUNCE: gettext_lazy("“%(title)s” was pinned site-wide as an announcement"),
    Action.THREAD_UNPIN: gettext_lazy("“%(title)s” was unpinned"),
    Action.THREAD_LOCK: gettext_lazy("“%(title)s” was locked"),
    Action.THREAD_UNLOCK: gettext_lazy("“%(title)s” was unlocked"),
    Action.THREAD_FEATURE: gettext_lazy("“%(title)s” was featured"),
    Action.THREAD_UNFEATURE: gettext_lazy("“%(title)s” is no longer featured"),
    Action.THREAD_BUG_STATUS: gettext_lazy("Status of “%(title)s”: %(status)s"),
    Action.THREAD_SLOW_MODE: gettext_lazy("Slow mode in “%(title)s” changed"),
}


def _thread_flags(
    *, thread: Thread, actor, action: str, changes: dict, reason: str, ip: str | None
) -> Thread:
    thread = _lock_thread(thread)
    check_can_moderate(actor, thread.board)
    _check_not_notice(thread)
    before = {name: getattr(thread, name) for name in changes}
    if before == changes:
        return thread  # already so: nothing to change, log or tell
    forum_services.thread_set_flags(thread=thread, **changes)
    audit_record(
        actor=actor,
        action=action,
        target=thread,
        reason=reason,
        before=before,
        after=changes,
        ip=ip,
    )
    status = thread.get_bug_status_display()
    if thread.bug_status == BugStatus.FIXED and thread.fixed_in_version:
        status = _("fixed in %(version)s") % {"version": thread.fixed_in_version}
    _notify_author(
        author=thread.author,
        actor=actor,
        target_url=thread.get_absolute_url(),
        what=_FLAG_NOTICES[action] % {"title": thread.title, "status": status},
        reason=reason,
    )
    return thread


@transaction.atomic
def thread_pin(
    *, thread: Thread, actor, site_wide: bool = False, reason: str = "", ip: str | None = None
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
def thread_unpin(*, thread: Thread, actor, reason: str = "", ip: str | None = None) -> Thread:
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
def thread_lock(*, thread: Thread, actor, reason: str = "", ip: str | None = None) -> Thread:
    return _thread_flags(
        thread=thread,
        actor=actor,
        action=Action.THREAD_LOCK,
        changes={"is_locked": True},
        reason=reason,
        ip=ip,
    )


@transaction.atomic
def thread_unlock(*, thread: Thread, actor, reason: str = "", ip: str | None = None) -> Thread:
    return _thread_flags(
        thread=thread,
        actor=actor,
        action=Action.THREAD_UNLOCK,
        changes={"is_locked": False},
        reason=reason,
        ip=ip,
    )


@transaction.atomic
def thread_feature(*, thread: Thread, actor, reason: str = "", ip: str | None = None) -> Thread:
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
def thread_unfeature(*, thread: Thread, actor, reason: str = "", ip: str | None = None) -> Thread:
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
    actor,
    status: str,
    fixed_in_version: str = "",
    reason: str = "",
    ip: str | None = None,
) -> Thread:
    """Confirmed, not reproducible, or fixed in a firmware version (bug reports only)."""
    locked = _lock_thread(thread)
    check_can_moderate(actor, locked.board)
    if locked.thread_type != ThreadType.BUG:
        raise ValidationError(_("Only bug reports have a status."))
    if status not in BugStatus.values:
        raise ValidationError({"status": [_("Choose a valid status.")]})
    version = validate_firmware_version(fixed_in_version) if status == BugStatus.FIXED else ""
    if status == BugStatus.FIXED and not version:
        raise ValidationError({"fixed_in_version": [_("Say which version fixed it.")]})
    thread = _thread_flags(
        thread=locked,
        actor=actor,
        action=Action.THREAD_BUG_STATUS,
        changes={"bug_status": status, "fixed_in_version": version},
        reason=reason,
        ip=ip,
    )
    # Reputation: call accounts.services.reputation_change(...) for the reporter here.
    return thread


@transaction.atomic
def thread_set_slow_mode(
    *, thread: Thread, actor, seconds: int, reason: str = "", ip: str | None = None
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
def thread_hide(*, thread: Thread, actor, reason: str, ip: str | None = None) -> Thread:
    """Soft-delete a thread: moderators still see it, greyed, with who hid it and why."""
    thread = _lock_thread(thread)
    check_can_moderate(actor, thread.board)
    reason = required_reason(reason)
    if not forum_services.thread_hide(thread=thread, actor=actor, reason=reason):
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
    _notify_author(
        author=thread.author,
        actor=actor,
        target_url=thread.get_absolute_url(),
        what=_("“%(title)s” was hidden") % {"title": thread.title},
        reason=reason,
    )
    return thread


@transaction.atomic
def thread_restore(*, thread: Thread, actor, reason: str = "", ip: str | None = None) -> Thread:
    thread = _lock_thread(thread)
    check_can_moderate(actor, thread.board)
    hidden = {"is_hidden": True, "hidden_by": thread.hidden_by_name, "reason": thread.hidden_reason}
    if not forum_services.thread_restore(thread=thread):
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
    _notify_author(
        author=thread.author,
        actor=actor,
        target_url=thread.get_absolute_url(),
        what=_("“%(title)s” was restored") % {"title": thread.title},
        reason=reason,
    )
    return thread


@transaction.atomic
def post_hide(*, post: Post, actor, reason: str, ip: str | None = None) -> Post:
    post = _lock_post(post)
    check_can_moderate(actor, post.thread.board)
    reason = required_reason(reason)
    if not forum_services.post_hide(post=post, actor=actor, reason=reason):
        return post
    audit_record(
        actor=actor,
        action=Action.POST_HIDE,
        target=post,
        reason=reason,
        before={"is_hidden": False},
        after={"is_hidden": True},
        ip=ip,
    )
    _notify_author(
        author=post.author,
        actor=actor,
        target_url=post.get_permalink(),
        what=_("Your post in “%(title)s” was hidden") % {"title": post.thread.title},
        reason=reason,
    )
    return post


@transaction.atomic
def post_restore(*, post: Post, actor, reason: str = "", ip: str | None = None) -> Post:
    post = _lock_post(post)
    check_can_moderate(actor, post.thread.board)
    hidden = {"is_hidden": True, "hidden_by": post.hidden_by_name, "reason": post.hidden_reason}
    if not forum_services.post_restore(post=post):
        return post
    audit_record(
        actor=actor,
        action=Action.POST_RESTORE,
        target=post,
        reason=reason,
        before=hidden,
        after={"is_hidden": False},
        ip=ip,
    )
    _notify_author(
        author=post.author,
        actor=actor,
        target_url=post.get_permalink(),
        what=_("Your post in “%(title)s” was restored") % {"title": post.thread.title},
        reason=reason,
    )
    return post


def _post_helpful(*, post: Post, actor, helpful: bool, reason: str, ip: str | None) -> Post:
    post = _lock_post(post)
    check_can_moderate(actor, post.thread.board)
    if not forum_services.post_set_helpful(post=post, helpful=helpful):
        return post
    audit_record(
        actor=actor,
        action=Action.POST_HELPFUL if helpful else Action.POST_UNHELPFUL,
        target=post,
        reason=reason,
        before={"is_helpful": not helpful},
        after={"is_helpful": helpful},
        ip=ip,
    )
    # Reputation: call accounts.services.reputation_change(...) for post.author here.
    what = (
        _("Your post in “%(title)s” was marked helpful")
        if helpful
        else _("Your post in “%(title)s” is no longer marked helpful")
    )
    _notify_author(
        author=post.author,
        actor=actor,
        target_url=post.get_permalink(),
        what=what % {"title": post.thread.title},
        reason=reason,
    )
    return post


@transaction.atomic
def post_mark_helpful(*, post: Post, actor, reason: str = "", ip: str | None = None) -> Post:
    return _post_helpful(post=post, actor=actor, helpful=True, reason=reason, ip=ip)


@transaction.atomic
def post_unmark_helpful(*, post: Post, actor, reason: str = "", ip: str | None = None) -> Post:
    return _post_helpful(post=post, actor=actor, helpful=False, reason=reason, ip=ip)


# Moving, merging, splitting ---------------------------------------------------


@transaction.atomic
def thread_move(
    *,
    thread: Thread,
    to_board: Board,
    actor,
    leave_notice: bool = True,
    reason: str = "",
    ip: str | None = None,
) -> Thread:
    """Move a thread to another board; the mover must moderate both."""
    thread = _lock_thread(thread)
    from_board = thread.board
    check_can_moderate(actor, from_board)
    check_can_moderate(actor, to_board)
    notice = forum_services.thread_move(
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
    _notify_author(
        author=thread.author,
        actor=actor,
        target_url=thread.get_absolute_url(),
        what=_("“%(title)s” was moved to %(board)s")
        % {"title": thread.title, "board": to_board.name},
        reason=reason,
    )
    return thread


@transaction.atomic
def thread_merge(
    *,
    source: Thread,
    target: Thread,
    actor,
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
    forum_services.thread_merge(
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
    _notify_author(
        author=source.author,
        actor=actor,
        target_url=target.get_absolute_url(),
        what=_("“%(title)s” was merged into “%(target)s”")
        % {"title": source.title, "target": target.title},
        reason=reason,
    )
    return target


@transaction.atomic
def thread_split(
    *, thread: Thread, post_ids, title: str, actor, reason: str = "", ip: str | None = None
) -> Thread:
    """Move the chosen posts into a new thread with this title; returns the new thread."""
    thread = _lock_thread(thread)
    check_can_moderate(actor, thread.board)
    chosen = list(
        Post.objects.filter(thread=thread, pk__in=post_ids)
        .select_related("author")
        .order_by("floor")
    )
    new = forum_services.thread_split(thread=thread, post_ids=post_ids, title=title, actor=actor)
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
        _notify_author(
            author=author,
            actor=actor,
            target_url=new.get_absolute_url(),
            what=_("Posts from “%(title)s” were moved to “%(new)s”")
            % {"title": thread.title, "new": new.title},
            reason=reason,
        )
    return new


# Bulk actions from the board page --------------------------------------------

BULK_ACTIONS = {
    "lock": gettext_lazy("Lock"),
    "unlock": gettext_lazy("Unlock"),
    "move": gettext_lazy("Move"),
    "hide": gettext_lazy("Hide"),
    "restore": gettext_lazy("Restore"),
}


@transaction.atomic
def threads_bulk_apply(
    *,
    board: Board,
    thread_ids,
    action: str,
    actor,
    reason: str = "",
    to_board: Board | None = None,
    ip: str | None = None,
) -> int:
    """Apply one action to threads of one board, all or nothing, one audit row per thread."""
    check_can_moderate(actor, board)
    if action not in BULK_ACTIONS:
        raise ValidationError({"action": [_("Choose an action.")]})
    wanted = {int(pk) for pk in thread_ids}
    threads = list(Thread.objects.filter(board=board, pk__in=wanted).order_by("pk"))
    if not wanted or len(threads) != len(wanted):
        raise ValidationError({"threads": [_("Choose one or more threads of this board.")]})
    if action == "hide":
        reason = required_reason(reason)
    if action == "move" and to_board is None:
        raise ValidationError({"to_board": [_("Choose the board to move to.")]})
    for thread in threads:
        if action == "lock":
            thread_lock(thread=thread, actor=actor, reason=reason, ip=ip)
        elif action == "unlock":
            thread_unlock(thread=thread, actor=actor, reason=reason, ip=ip)
        elif action == "move":
            thread_move(thread=thread, to_board=to_board, actor=actor, reason=reason, ip=ip)
        elif action == "hide":
            thread_hide(thread=thread, actor=actor, reason=reason, ip=ip)
        else:
            thread_restore(thread=thread, actor=actor, reason=reason, ip=ip)
    return len(threads)


# Roles ------------------------------------------------------------------------


def _check_staff(actor) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.is_staff):
        raise PermissionDenied(_("Only staff appoint moderators."))


def _role_audit(*, actor, user, board, section, action, ip) -> None:
    where = {"board_id": board.pk, "board": board.name} if board else {}
    where = where or {"section_id": section.pk, "section": section.name}
    audit_record(
        actor=actor,
        action=action,
        target_type=AuditLog.TargetType.USER,
        target_id=user.pk,
        target_label=user.username,
        board_id=board.pk if board else None,
        before=None if action == Action.MODERATOR_ADD else where,
        after=where if action == Action.MODERATOR_ADD else None,
        ip=ip,
    )


@transaction.atomic
def moderator_add(
    *,
    user,
    actor,
    board: Board | None = None,
    section: Section | None = None,
    ip: str | None = None,
) -> bool:
    """Appoint a board moderator or a section moderator (staff only)."""
    _check_staff(actor)
    if not forum_services.moderator_role_grant(user=user, board=board, section=section):
        return False
    _role_audit(
        actor=actor, user=user, board=board, section=section, action=Action.MODERATOR_ADD, ip=ip
    )
    return True


@transaction.atomic
def moderator_remove(
    *,
    user,
    actor,
    board: Board | None = None,
    section: Section | None = None,
    ip: str | None = None,
) -> bool:
    _check_staff(actor)
    if not forum_services.moderator_role_revoke(user=user, board=board, section=section):
        return False
    _role_audit(
        actor=actor, user=user, board=board, section=section, action=Action.MODERATOR_REMOVE, ip=ip
    )
    return True
