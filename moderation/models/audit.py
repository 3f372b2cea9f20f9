from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moderation.models.audit_texts import audit_changes, export_label


class AppendOnlyError(RuntimeError):
    """Audit rows are written once and never changed or removed."""


class AuditLogQuerySet(models.QuerySet):
    # Deleting a user or a board still nulls their foreign keys here: Django's
    # collector goes through the base manager, not this queryset.
    def update(self, **kwargs):
        raise AppendOnlyError("Audit log rows cannot be updated.")

    def delete(self):
        raise AppendOnlyError("Audit log rows cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Audit log rows cannot be updated.")


class AuditLog(models.Model):
    """One row per moderator action, written in the action's transaction."""

    class Action(models.TextChoices):
        THREAD_PIN = "thread_pin", _("Pinned a thread")
        THREAD_ANNOUNCE = "thread_announce", _("Pinned a thread site-wide")
        THREAD_UNPIN = "thread_unpin", _("Unpinned a thread")
        THREAD_LOCK = "thread_lock", _("Locked a thread")
        THREAD_UNLOCK = "thread_unlock", _("Unlocked a thread")
        THREAD_FEATURE = "thread_feature", _("Featured a thread")
        THREAD_UNFEATURE = "thread_unfeature", _("Unfeatured a thread")
        THREAD_MOVE = "thread_move", _("Moved a thread")
        THREAD_MERGE = "thread_merge", _("Merged a thread")
        THREAD_SPLIT = "thread_split", _("Split a thread")
        THREAD_HIDE = "thread_hide", _("Hid a thread")
        THREAD_RESTORE = "thread_restore", _("Restored a thread")
        THREAD_BUG_STATUS = "thread_bug_status", _("Set a bug report's status")
        POST_HIDE = "post_hide", _("Hid a post")
        POST_RESTORE = "post_restore", _("Restored a post")
        POST_HELPFUL = "post_helpful", _("Marked a post helpful")
        POST_UNHELPFUL = "post_unhelpful", _("Unmarked a helpful post")
        MODERATOR_ADD = "moderator_add", _("Made a moderator")
        MODERATOR_REMOVE = "moderator_remove", _("Removed a moderator")
        GLOBAL_MODERATOR_GRANT = "global_moderator_grant", _("Made a global moderator")
        GLOBAL_MODERATOR_REVOKE = "global_moderator_revoke", _("Removed a global moderator")
        THREAD_SLOW_MODE = "thread_slow_mode", _("Set a thread's slow mode")
        USER_WARN = "user_warn", _("Warned a member")
        USER_SILENCE = "user_silence", _("Silenced a member")
        USER_UNSILENCE = "user_unsilence", _("Lifted a silence")
        USER_SUSPEND = "user_suspend", _("Suspended a member")
        USER_UNSUSPEND = "user_unsuspend", _("Lifted a suspension")
        REPORT_UPHOLD = "report_uphold", _("Upheld reports")
        REPORT_DISMISS = "report_dismiss", _("Dismissed reports")
        THREAD_APPROVE = "thread_approve", _("Approved a thread")
        THREAD_REJECT = "thread_reject", _("Rejected a thread")
        POST_APPROVE = "post_approve", _("Approved a post")
        POST_REJECT = "post_reject", _("Rejected a post")
        CORE_LOCK = "core_lock", _("Locked a member's core flag")
        USERS_EXPORT = "users_export", _("Exported members")
        PROGRAM_CREATE = "program_create", _("Created an early-access program")
        PROGRAM_UPDATE = "program_update", _("Changed an early-access program")
        PROGRAM_INVITE = "program_invite", _("Invited a member to a program")
        PROGRAM_INVITE_MANY = "program_invite_many", _("Invited program candidates")
        PROGRAM_REMOVE = "program_remove", _("Removed a member from a program")
        MEMBER_ARCHIVE = "member_archive", _("Prepared a member's data archive")
        MEMBER_DELETE = "member_delete", _("Deleted a member's account")
        MESSAGE_WARN = "message_warn", _("Sent a moderator warning message")
        MESSAGE_READ = "message_read", _("Read a reported message")
        MESSAGE_REPORT_CLOSE = "message_report_close", _("Closed a message report")
        PROGRAM_APPLY_RULES = "program_apply_rules", _("Set a program's application rules")
        PROGRAM_APPLICATION_ACCEPT = "program_app_accept", _("Accepted a program application")
        PROGRAM_APPLICATION_REJECT = "program_app_reject", _("Rejected a program application")
        MEDAL_AWARD = "medal_award", _("Awarded a medal")
        MEDAL_REVOKE = "medal_revoke", _("Took back a medal")
        POLL_CLOSE = "poll_close", _("Closed a poll")
        MEETUP_EXPORT = "meetup_export", _("Exported a meetup's sign-ups")
        THREAD_FEEDBACK_STATUS = "thread_feedback_status", _("Set a feedback's status")
        THREAD_DUPLICATE = "thread_duplicate", _("Closed a thread as a duplicate")
        WATCHED_WORD_ADD = "watched_word_add", _("Added a watched word")
        WATCHED_WORD_CHANGE = "watched_word_change", _("Changed a watched word")
        WATCHED_WORD_DELETE = "watched_word_delete", _("Removed a watched word")
        BAN_ADD = "ban_add", _("Banned an address range or email domain")
        BAN_CHANGE = "ban_change", _("Changed a ban")
        BAN_DELETE = "ban_delete", _("Lifted a ban")

    class TargetType(models.TextChoices):
        THREAD = "thread", _("Thread")
        POST = "post", _("Post")
        USER = "user", _("Member")
        EXPORT = "export", _("Export")
        PROGRAM = "program", _("Early-access program")
        MESSAGE = "message", _("Private message")
        WATCHED_WORD = "word", _("Watched word")
        NETWORK_BAN = "net_ban", _("Banned address range")
        DOMAIN_BAN = "domain_ban", _("Banned email domain")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("moderator"), max_length=150)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    target_type = models.CharField(max_length=10, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField()
    target_label = models.CharField(_("target"), max_length=200)
    # The board acted in, so each board's moderators can read their own log.
    board = models.ForeignKey(
        "forum.Board", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whose content or account it was, for a member's moderation history.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="auditlog_recent"),
            models.Index(fields=["board", "-created_at"], name="auditlog_board_recent"),
            models.Index(fields=["actor", "-created_at"], name="auditlog_actor_recent"),
            # The log's moderator filter, by the name kept on the row.
            models.Index(fields=["actor_name", "-created_at"], name="auditlog_actor_name_recent"),
            models.Index(fields=["action", "-created_at"], name="auditlog_action_recent"),
            models.Index(fields=["target_type", "target_id"], name="auditlog_target"),
            models.Index(fields=["subject", "-created_at"], name="auditlog_subject_recent"),
        ]

    def __str__(self):
        return f"{self.actor_name} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit log rows cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit log rows cannot be deleted.")

    @property
    def changes(self):
        """The before/after states as readable lines (moderation.models.audit_texts), in the
        reader's language: "pinned: no → yes"."""
        return audit_changes(self.before, self.after)

    @property
    def target_text(self) -> str:
        """What was acted on, as the log shows it: an export is named from its row
        count in the reader's language; anything else by its stored title or name."""
        if self.target_type == self.TargetType.EXPORT:
            return export_label((self.after or {}).get("rows"))
        return self.target_label
