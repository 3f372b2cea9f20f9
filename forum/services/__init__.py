"""Every write to the forum's tables goes through these functions: the front door.

Views, the admin, management commands, jobs, other apps and tests call them
from here, so the rules (permissions, validation, limits, counters, cache
versions) hold everywhere. Each feature lives in its own module of this
package; the raw mechanics behind moderators' actions live in
_moderation_unchecked, which is deliberately not exported (moderation.services
wraps them with checks and the audit log).
"""

from forum.services.attachments import (
    pending_uploads_delete_expired,
    pending_uploads_discard,
    pending_uploads_keep,
)
from forum.services.bookmarks import bookmark_add, bookmark_remove
from forum.services.counters import board_sync_counters, thread_sync_counters
from forum.services.drafts import draft_discard, draft_preview, draft_save
from forum.services.editing import post_edit, post_rerender, thread_edit
from forum.services.hot import threads_rescore_hot
from forum.services.idempotency import idempotency_keys_delete_old, post_create_once
from forum.services.likes import post_like, post_sync_like_count, post_unlike
from forum.services.limits import SLOW_MODE_CHOICES, PostingLimitError, wait_text
from forum.services.meetups import (
    event_cancel_signup,
    event_check_in,
    event_create,
    event_new_check_in_code,
    event_signup,
    event_sync_counters,
    meetup_reminders_send,
)
from forum.services.members import member_forum_erase
from forum.services.mentions import quote_markdown
from forum.services.messages import (
    conversation_leave,
    conversation_mark_read,
    conversation_start,
    conversations_sync_unread,
    message_send,
)
from forum.services.polls import (
    PollSpec,
    poll_clean,
    poll_close,
    poll_create,
    poll_edit,
    poll_sync_counters,
    poll_unvote,
    poll_vote,
    polls_sync_all,
    thread_create_with_poll,
)
from forum.services.posting import post_reply, reply_follow_up
from forum.services.reading import board_mark_read, thread_mark_read
from forum.services.search import post_search_text_rebuild
from forum.services.stats import section_daily_stats_compute
from forum.services.threads import thread_create, thread_slug
from forum.services.triage import (
    bug_notify_fixed,
    thread_sync_vote_count,
    thread_unvote,
    thread_vote,
    votes_sync_all,
)
from forum.services.view_counts import thread_record_view, thread_views_fold
from forum.services.watching import (
    board_unwatch,
    board_watch,
    post_notify_watchers,
    thread_unwatch,
    thread_watch,
)

__all__ = [
    "SLOW_MODE_CHOICES",
    "PollSpec",
    "PostingLimitError",
    "board_mark_read",
    "board_sync_counters",
    "board_unwatch",
    "board_watch",
    "bookmark_add",
    "bookmark_remove",
    "bug_notify_fixed",
    "conversation_leave",
    "conversation_mark_read",
    "conversation_start",
    "conversations_sync_unread",
    "draft_discard",
    "draft_preview",
    "draft_save",
    "event_cancel_signup",
    "event_check_in",
    "event_create",
    "event_new_check_in_code",
    "event_signup",
    "event_sync_counters",
    "idempotency_keys_delete_old",
    "meetup_reminders_send",
    "member_forum_erase",
    "message_send",
    "pending_uploads_delete_expired",
    "pending_uploads_discard",
    "pending_uploads_keep",
    "poll_clean",
    "poll_close",
    "poll_create",
    "poll_edit",
    "poll_sync_counters",
    "poll_unvote",
    "poll_vote",
    "polls_sync_all",
    "post_create_once",
    "post_edit",
    "post_like",
    "post_notify_watchers",
    "post_reply",
    "post_rerender",
    "post_search_text_rebuild",
    "post_sync_like_count",
    "post_unlike",
    "quote_markdown",
    "reply_follow_up",
    "section_daily_stats_compute",
    "thread_create",
    "thread_create_with_poll",
    "thread_edit",
    "thread_mark_read",
    "thread_record_view",
    "thread_slug",
    "thread_sync_counters",
    "thread_sync_vote_count",
    "thread_unvote",
    "thread_unwatch",
    "thread_views_fold",
    "thread_vote",
    "thread_watch",
    "threads_rescore_hot",
    "votes_sync_all",
    "wait_text",
]
