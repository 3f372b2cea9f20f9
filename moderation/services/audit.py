"""The audit log's writer, the reason every logged action may need, and the notice
to the member an action concerns."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import NotificationKind, User
from forum.models import Post, Thread
from moderation.models import AuditLog


def required_reason(reason: str, *, why_needed: str = "") -> str:
    """The reason on one line, at most 500 characters; a field error when it is blank."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": [why_needed or _("Say why, for the author and the log.")]})
    return reason[:500]


def _post_label(post: Post) -> str:
    # No words of the actor's language: a reply awaiting approval has no floor yet,
    # and its row's before/after says it was pending.
    if not post.floor:
        return post.thread.title[:200]
    return f"#{post.floor} · {post.thread.title}"[:200]


def audit_record(
    *,
    actor: User | None,
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


def notify_author(
    *,
    author: User | None,
    actor: User,
    target_url: str,
    title_key: str,
    title_params: dict,
    reason: str,
) -> None:
    """Tell the author what was done (a key of moderation.notification_texts) and why."""
    if author is None:
        return
    account_services.notification_create(
        recipient=author,
        kind=NotificationKind.MODERATION,
        target_url=target_url,
        title_key=title_key,
        title_params=title_params,
        actor=actor,
        excerpt=reason,
    )
