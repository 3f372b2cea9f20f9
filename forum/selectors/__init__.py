"""Reads that need care, the front door: each owns its joins so page query counts stay fixed.

Each feature's reads live in their own module of this package.
"""

from forum.selectors.attachments import pending_cutoff, pending_uploads
from forum.selectors.boards import (
    BOARD_SORTS,
    announcements,
    announcements_for,
    board_moderators,
    board_thread_page,
    board_threads,
    boards_for_viewer,
    boards_moderated_by,
    sections_with_boards,
    sections_with_visible_boards,
    viewer_board_marked_at,
)
from forum.selectors.drafts import draft_for, draft_page, drafts_of
from forum.selectors.editing import post_revisions, post_revisions_queryset
from forum.selectors.feeds import feed_posts, feed_threads
from forum.selectors.hot import HOT_PERIODS, hot_threads, hot_threads_page
from forum.selectors.likes import mark_liked_by, post_likers, post_likers_page
from forum.selectors.live import thread_last_floor
from forum.selectors.meetups import (
    event_of_thread,
    event_signups,
    signup_of,
    upcoming_events,
    waiting_position,
)
from forum.selectors.members import user_recent_threads, user_threads
from forum.selectors.messages import (
    bookmark_page,
    bookmarked_post_ids,
    bookmarks_of,
    conversation_page,
    conversations_of,
    message_page,
    messages_for,
    my_participation,
    participants_of,
)
from forum.selectors.polls import my_choices, option_voters, poll_snapshot
from forum.selectors.reading import attach_unread, first_unread_floor, thread_read_floor
from forum.selectors.search import (
    NoResultsHelp,
    SearchFilters,
    search_count,
    search_no_results_help,
    search_posts,
    search_posts_queryset,
)
from forum.selectors.threads import (
    ThreadPage,
    attachment_for_viewer,
    floor_page,
    latest_threads,
    post_for_viewer,
    post_with_thread,
    thread_for_viewer,
    thread_pending_posts,
    thread_post_page,
    thread_posts,
    threads_for_viewer,
    visible_threads,
)
from forum.selectors.triage import (
    STATUS_FILTERS,
    release_fixed_bugs,
    similar_threads,
    status_filter_choices,
    triage_bugs,
    triage_devices,
    triage_versions,
)

__all__ = [
    "BOARD_SORTS",
    "HOT_PERIODS",
    "STATUS_FILTERS",
    "NoResultsHelp",
    "SearchFilters",
    "ThreadPage",
    "announcements",
    "announcements_for",
    "attach_unread",
    "attachment_for_viewer",
    "board_moderators",
    "board_thread_page",
    "board_threads",
    "boards_for_viewer",
    "boards_moderated_by",
    "bookmark_page",
    "bookmarked_post_ids",
    "bookmarks_of",
    "conversation_page",
    "conversations_of",
    "draft_for",
    "draft_page",
    "drafts_of",
    "event_of_thread",
    "event_signups",
    "feed_posts",
    "feed_threads",
    "first_unread_floor",
    "floor_page",
    "hot_threads",
    "hot_threads_page",
    "latest_threads",
    "mark_liked_by",
    "message_page",
    "messages_for",
    "my_choices",
    "my_participation",
    "option_voters",
    "participants_of",
    "pending_cutoff",
    "pending_uploads",
    "poll_snapshot",
    "post_for_viewer",
    "post_likers",
    "post_likers_page",
    "post_revisions",
    "post_revisions_queryset",
    "post_with_thread",
    "release_fixed_bugs",
    "search_count",
    "search_no_results_help",
    "search_posts",
    "search_posts_queryset",
    "sections_with_boards",
    "sections_with_visible_boards",
    "signup_of",
    "similar_threads",
    "status_filter_choices",
    "thread_for_viewer",
    "thread_last_floor",
    "thread_pending_posts",
    "thread_post_page",
    "thread_posts",
    "thread_read_floor",
    "threads_for_viewer",
    "triage_bugs",
    "triage_devices",
    "triage_versions",
    "upcoming_events",
    "user_recent_threads",
    "user_threads",
    "viewer_board_marked_at",
    "visible_threads",
    "waiting_position",
]
