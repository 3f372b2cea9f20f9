"""Moderation's writes, each checked and audited: import them from here.

The modules carry the feature's stem (threads, posts, bulk, moderators,
sanctions, reports, approvals, programs, core_flags, exports, audit). Who may
do what (sanction powers, report_denied_reason, can_manage_programs) is in
moderation.permissions; reads (report_refused_until, the export CSV) in
moderation.selectors.
"""

from moderation.services.approvals import (
    pending_approve,
    pending_reject,
)
from moderation.services.audit import (
    audit_record,
    required_reason,
)
from moderation.services.bulk import (
    BULK_ACTIONS,
    threads_bulk_apply,
)
from moderation.services.core_flags import (
    core_flag_lock,
)
from moderation.services.exports import (
    export_fail,
    export_start,
    export_write,
    exports_delete_old,
)
from moderation.services.exports_email import export_ready_email_send
from moderation.services.medals import medal_award, medal_revoke
from moderation.services.meetups import meetup_signups_export
from moderation.services.member_data import (
    member_archive_build,
    member_archive_request,
    member_archives_expire,
    member_delete,
)
from moderation.services.messages import (
    AlreadyReportedMessage,
    message_report_close,
    message_report_create,
    message_report_read,
    message_warning_send,
)
from moderation.services.moderators import (
    global_moderator_grant,
    global_moderator_revoke,
    moderator_add,
    moderator_remove,
)
from moderation.services.polls import poll_close
from moderation.services.posts import (
    lock_post,
    post_hide,
    post_mark_helpful,
    post_restore,
    post_unmark_helpful,
)
from moderation.services.programs import (
    KEEP,
    Keep,
    program_application_accept,
    program_application_reject,
    program_apply_rules_set,
    program_create,
    program_flag_now,
    program_invite,
    program_invite_candidates,
    program_remove,
    program_update,
)
from moderation.services.reports import (
    report_case_dismiss,
    report_case_uphold,
    report_create,
)
from moderation.services.sanctions import (
    sanctions_tidy_expired,
    user_lift_silence,
    user_lift_suspension,
    user_silence,
    user_suspend,
    user_warn,
)
from moderation.services.screening import (
    ban_delete,
    ban_update,
    banned_domain_create,
    banned_network_create,
    bans_purge_expired,
    watched_message_flag,
    watched_post_flag,
    watched_word_create,
    watched_word_delete,
    watched_word_update,
)
from moderation.services.threads import (
    lock_thread,
    thread_feature,
    thread_hide,
    thread_lock,
    thread_mark_duplicate,
    thread_merge,
    thread_move,
    thread_pin,
    thread_restore,
    thread_set_bug_status,
    thread_set_feedback_status,
    thread_set_slow_mode,
    thread_split,
    thread_unfeature,
    thread_unlock,
    thread_unpin,
)
from moderation.services.webhooks import (
    webhook_deliver,
    webhook_signature,
    webhooks_retry_due,
)

__all__ = [
    "BULK_ACTIONS",
    "KEEP",
    "AlreadyReportedMessage",
    "Keep",
    "audit_record",
    "ban_delete",
    "ban_update",
    "banned_domain_create",
    "banned_network_create",
    "bans_purge_expired",
    "core_flag_lock",
    "export_fail",
    "export_ready_email_send",
    "export_start",
    "export_write",
    "exports_delete_old",
    "global_moderator_grant",
    "global_moderator_revoke",
    "lock_post",
    "lock_thread",
    "medal_award",
    "medal_revoke",
    "meetup_signups_export",
    "member_archive_build",
    "member_archive_request",
    "member_archives_expire",
    "member_delete",
    "message_report_close",
    "message_report_create",
    "message_report_read",
    "message_warning_send",
    "moderator_add",
    "moderator_remove",
    "pending_approve",
    "pending_reject",
    "poll_close",
    "post_hide",
    "post_mark_helpful",
    "post_restore",
    "post_unmark_helpful",
    "program_application_accept",
    "program_application_reject",
    "program_apply_rules_set",
    "program_create",
    "program_flag_now",
    "program_invite",
    "program_invite_candidates",
    "program_remove",
    "program_update",
    "report_case_dismiss",
    "report_case_uphold",
    "report_create",
    "required_reason",
    "sanctions_tidy_expired",
    "thread_feature",
    "thread_hide",
    "thread_lock",
    "thread_mark_duplicate",
    "thread_merge",
    "thread_move",
    "thread_pin",
    "thread_restore",
    "thread_set_bug_status",
    "thread_set_feedback_status",
    "thread_set_slow_mode",
    "thread_split",
    "thread_unfeature",
    "thread_unlock",
    "thread_unpin",
    "threads_bulk_apply",
    "user_lift_silence",
    "user_lift_suspension",
    "user_silence",
    "user_suspend",
    "user_warn",
    "watched_message_flag",
    "watched_post_flag",
    "watched_word_create",
    "watched_word_delete",
    "watched_word_update",
    "webhook_deliver",
    "webhook_signature",
    "webhooks_retry_due",
]
