"""Which new posts wait for a moderator's approval before anyone else sees them.

Checked by forum.services when a thread or reply is written; the author's row
is already loaded, so the usual case costs no query. Refusals (rate limits,
first-day caps) live in a sibling module: a held post is still written.

screen_post is the one call posting, replying and editing make after the limits: a
banned address range or a blocked watched word refuses the post, replaced words are
starred out in the texts it returns, and the others hold it for approval or flag it
for the moderators' queue (accounts.services.screening keeps the lists).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Model
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import User
from config.jobs import enqueue_on_commit
from forum.models import Board, Post, Thread
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


@dataclass
class PostScreening:
    """What screen_post decided: the texts to write, why to hold the post (or None), and
    the watched words to flag it for."""

    held: str | None
    flag: list[str] = field(default_factory=list)

    def flagged(self, written: Model) -> Model:
        """Call on the written thread or post, in its transaction: after the commit the
        system files a report for the moderators' queue (moderation.flag_watched_post)."""
        if self.flag and self.held is None:
            post_id = written.pk if isinstance(written, Post) else None
            if isinstance(written, Thread):
                post_id = (
                    Post.objects.filter(thread=written, floor=1)
                    .values_list("pk", flat=True)
                    .first()
                )
            if post_id is not None:
                enqueue_on_commit("moderation.flag_watched_post", post_id, self.flag)
        return written


def _exempt(user: User, board: Board | None) -> bool:
    return bool(user.is_staff or user.is_global_moderator or (board and is_exempt(user, board)))


def screen_post(
    author: User, cleaned: dict, *, board: Board | None = None, editing: bool = False
) -> PostScreening:
    """Check a post's `title` and `body` (those of `cleaned` given, changed in place by
    replacements) against the bans and watched words; PermissionDenied from a banned
    range, a ValidationError on the field holding a blocked word.

    An edit is not held (its post is published already): words that would hold a new
    post flag the edited one instead. The board's moderators, global moderators and
    staff are neither held nor flagged; blocked and replaced words apply to everyone.
    """
    account_services.check_address_allowed()
    texts = {name: cleaned[name] for name in ("title", "body") if name in cleaned}
    screened = account_services.text_screen(texts)
    cleaned.update(screened.texts)
    # Whether the author is exempt is asked only when a word was found: a clean post
    # costs no query for it.
    if editing:
        flag = [*screened.approve, *screened.flag]
        return PostScreening(held=None, flag=flag if flag and not _exempt(author, board) else [])
    held = needs_approval(author, cleaned.get("body", ""), board=board)
    if held is None and screened.approve and not _exempt(author, board):
        held = _("contains a watched word: %(words)s") % {"words": "、".join(screened.approve)}
    flag = screened.flag if screened.flag and not _exempt(author, board) else []
    return PostScreening(held=held, flag=flag)
