"""Which new posts wait for a moderator's approval before anyone else sees them.

Checked by forum.services when a thread or reply is written; the author's row
is already loaded, so the usual case costs no query. Refusals (rate limits,
first-day caps) live in a sibling module: a held post is still written.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.models import User
from forum.models import Board
from forum.rendering import external_links
from forum.services.limits import below_level, is_exempt, is_new_member


def link_count(text: str) -> int:
    """Links to other sites, counted as forum.services.limits counts them (code blocks excluded)."""
    return len(external_links(text or ""))


def needs_approval(user: User, text: str, *, board: Board | None = None) -> str | None:
    """Why this post must wait for approval, or None to publish it at once.

    - Members below APPROVAL_BELOW_LEVEL (default "newcomer", the lowest
      level, so only members whose reputation fell below 0) always wait.
    - A new member's first posts (APPROVAL_FIRST_POSTS, counted from posts
      already published) wait when they hold more than APPROVAL_FIRST_POST_MAX_LINKS links.
    Moderators of the board, staff and global moderators never wait.
    """
    rules = settings.POPCORN
    reason = None
    if below_level(user, rules["APPROVAL_BELOW_LEVEL"]):
        reason = _("new members' posts are reviewed before they appear")
    elif (
        user.post_count < rules["APPROVAL_FIRST_POSTS"]
        and link_count(text) > rules["APPROVAL_FIRST_POST_MAX_LINKS"]
        and is_new_member(
            user,
            level_key=rules["APPROVAL_NEW_USER_BELOW_LEVEL"],
            hours=rules["APPROVAL_NEW_USER_HOURS"],
        )
    ):
        reason = _("a first post with links is reviewed before it appears")
    if reason is None:
        return None
    # Asked last: for a board moderator it may cost the reach query.
    if user.is_staff or user.is_global_moderator or (board and is_exempt(user, board)):
        return None
    return reason
