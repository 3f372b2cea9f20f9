"""Every write to accounts' tables, and the jobs: other apps call these, never the models.

The front door: import from `accounts.services`, never from its modules. The
staff-side programme mechanics (_programs_unchecked) are deliberately not
here: moderation's checked, audited verbs are the only way to them.
"""

from accounts.selectors.invitations import InvitationUnavailable

from .activity import (
    activity_count,
    like_record,
    like_unrecord,
    user_counts_adjust,
    user_record_post,
    visit_record,
)
from .activity_partitions import activity_partitions_maintain
from .blocking import block_add, block_remove, blocks_sync_count
from .checkin import CheckInResult, check_in
from .core_users import core_flag_lock, core_flags_update
from .invitations import (
    invitation_create,
    invitation_redeem,
    invitation_revoke,
    invitation_revoke_many,
    invitation_send,
    invitee_record_post,
)
from .invitations_email import invitation_email_send
from .medals import (
    medal_award_by_rule,
    medal_grant,
    medal_take_back,
    medals_award_all,
    medals_choose_shown,
)
from .member_data import (
    archive_create,
    archive_finish,
    archive_id_from_token,
    archive_token,
    archives_expire,
    deleted_username,
    member_erase,
)
from .notifications import (
    notification_create,
    notification_fan_out,
    notification_group_add,
    notification_mark_all_read,
    notification_mark_read,
    notification_preferences_update,
    notification_settings_update,
    notification_unsubscribe,
)
from .notifications_email import (
    notification_emails_send,
    read_unsubscribe_token,
    unsubscribe_token,
)
from .profiles import city_update, language_update, member_region_record, profile_update
from .program_apply import (
    apply_refusal,
    close_all_weeks,
    program_apply,
    program_score_moderation,
    program_scores_repair,
    program_week_close,
)
from .programs import (
    ProgramStateError,
    expire_invitations,
    flag_all_candidates,
    program_accept,
    program_decline,
    program_flag_candidates,
    program_leave,
    program_requalify_members,
    requalify_all_members,
)
from .reputation import reputation_grant, reputation_reconcile, reputation_revoke
from .sanctions import sanction_lift, sanction_set, sanctions_clear_expired
from .screening import (
    Screened,
    address_ban_reason,
    blocked_message,
    check_address_allowed,
    email_ban_reason,
    text_screen,
    text_test,
)
from .stats import daily_stats_backfill, daily_stats_compute, register_daily_stats_part

__all__ = [
    "CheckInResult",
    "InvitationUnavailable",
    "ProgramStateError",
    "Screened",
    "activity_count",
    "activity_partitions_maintain",
    "address_ban_reason",
    "apply_refusal",
    "archive_create",
    "archive_finish",
    "archive_id_from_token",
    "archive_token",
    "archives_expire",
    "block_add",
    "block_remove",
    "blocked_message",
    "blocks_sync_count",
    "check_address_allowed",
    "check_in",
    "city_update",
    "close_all_weeks",
    "core_flag_lock",
    "core_flags_update",
    "daily_stats_backfill",
    "daily_stats_compute",
    "deleted_username",
    "email_ban_reason",
    "expire_invitations",
    "flag_all_candidates",
    "invitation_create",
    "invitation_email_send",
    "invitation_redeem",
    "invitation_revoke",
    "invitation_revoke_many",
    "invitation_send",
    "invitee_record_post",
    "language_update",
    "like_record",
    "like_unrecord",
    "medal_award_by_rule",
    "medal_grant",
    "medal_take_back",
    "medals_award_all",
    "medals_choose_shown",
    "member_erase",
    "member_region_record",
    "notification_create",
    "notification_emails_send",
    "notification_fan_out",
    "notification_group_add",
    "notification_mark_all_read",
    "notification_mark_read",
    "notification_preferences_update",
    "notification_settings_update",
    "notification_unsubscribe",
    "profile_update",
    "program_accept",
    "program_apply",
    "program_decline",
    "program_flag_candidates",
    "program_leave",
    "program_requalify_members",
    "program_score_moderation",
    "program_scores_repair",
    "program_week_close",
    "read_unsubscribe_token",
    "register_daily_stats_part",
    "reputation_grant",
    "reputation_reconcile",
    "reputation_revoke",
    "requalify_all_members",
    "sanction_lift",
    "sanction_set",
    "sanctions_clear_expired",
    "text_screen",
    "text_test",
    "unsubscribe_token",
    "user_counts_adjust",
    "user_record_post",
    "visit_record",
]
