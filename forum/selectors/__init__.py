"""Reads that need care, the front door: each owns its joins so page query counts stay fixed.

Each feature's reads live in their own module of this package.
"""

from forum.selectors.attachments import pending_cutoff, pending_uploads
from forum.selectors.boards import (
    announcements,
    board_moderators,
    board_thread_page,
    boards_for_viewer,
    boards_moderated_by,
    sections_with_boards,
)
from forum.selectors.editing import post_revisions
from forum.selectors.feeds import feed_posts, feed_threads
from forum.selectors.likes import mark_liked_by, post_likers_page
from forum.selectors.members import user_recent_threads
from forum.selectors.reading import attach_unread, first_unread_floor
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
    floor_page,
    latest_threads,
    post_with_thread,
    thread_pending_posts,
    thread_post_page,
    threads_for_viewer,
)

__all__ = [
    "NoResultsHelp",
    "SearchFilters",
    "ThreadPage",
    "announcements",
    "attach_unread",
    "board_moderators",
    "board_thread_page",
    "boards_for_viewer",
    "boards_moderated_by",
    "feed_posts",
    "feed_threads",
    "first_unread_floor",
    "floor_page",
    "latest_threads",
    "mark_liked_by",
    "pending_cutoff",
    "pending_uploads",
    "post_likers_page",
    "post_revisions",
    "post_with_thread",
    "search_count",
    "search_no_results_help",
    "search_posts",
    "search_posts_queryset",
    "sections_with_boards",
    "thread_pending_posts",
    "thread_post_page",
    "threads_for_viewer",
    "user_recent_threads",
]
