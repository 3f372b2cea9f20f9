"""Who may do what in the forum: `can_*` answer, `check_can_*` raise.

Every view and service asks here, so the rule is written once.
"""

import contextlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from accounts.levels import level_by_key
from accounts.permissions import lacks_second_factor, second_factor_refusal
from accounts.selectors import accepted_members, accepted_program_ids

from .models import (
    VOTED_TYPES,
    Board,
    BoardModerator,
    PollResults,
    SectionModerator,
    moderated_by,
)


@dataclass(frozen=True)
class ModerationReach:
    """The boards a user moderates: all of them, or a set of board ids."""

    everywhere: bool = False
    board_ids: frozenset[int] = frozenset()

    def covers(self, board_id: int) -> bool:
        return self.everywhere or board_id in self.board_ids

    def __bool__(self) -> bool:
        return self.everywhere or bool(self.board_ids)


NOWHERE = ModerationReach()
EVERYWHERE = ModerationReach(everywhere=True)
_REACH_ATTR = "_moderation_reach"


def moderation_reach(user) -> ModerationReach:
    """Where this user may moderate now: their roles' reach, or nowhere while their
    session lacks the second factor that moderators need (accounts.permissions)."""
    if lacks_second_factor(user):
        return NOWHERE
    return _role_reach(user)


def holds_moderation_role(user) -> bool:
    """Staff, a global moderator, or a moderator of some board or section (whatever
    the session): for telling a moderator why their tools are locked."""
    return bool(_role_reach(user))


def _role_reach(user) -> ModerationReach:
    """Where this user's roles reach; at most one query, then cached on the user object.

    The user object lives for one request, so role changes show on the next one.
    Staff and global moderators cost nothing: the flags are on the user row.
    """
    if not user.is_authenticated or not user.is_active:
        return NOWHERE
    if user.is_suspended:
        return NOWHERE  # a suspension is read-only, moderating included
    reach = getattr(user, _REACH_ATTR, None)
    if reach is None:
        if user.is_staff or user.is_global_moderator:
            reach = EVERYWHERE
        else:
            board_ids = Board.objects.filter(moderated_by(user)).values_list("pk", flat=True)
            # No ORDER BY: Board's default ordering would join sections for nothing.
            reach = ModerationReach(board_ids=frozenset(board_ids.order_by()))
        setattr(user, _REACH_ATTR, reach)
    return reach


def forget_moderation_reach(user) -> None:
    """Drop the cached reach after this user's roles change (same request or test)."""
    with contextlib.suppress(AttributeError):
        delattr(user, _REACH_ATTR)


def can_moderate(user, board: Board | int) -> bool:
    """Staff, global moderators, the board's section moderators and its board moderators."""
    board_id = board if isinstance(board, int) else board.pk
    return moderation_reach(user).covers(board_id)


def check_can_moderate(user, board: Board | int) -> None:
    if not can_moderate(user, board):
        # A suspended moderator is told why their tools stopped working.
        sanctioned = user.is_authenticated and sanction_denied_reason(user, posting=False)
        if not sanctioned and lacks_second_factor(user) and holds_moderation_role(user):
            raise PermissionDenied(second_factor_refusal())
        raise PermissionDenied(sanctioned or _("You do not moderate this board."))


def in_board_program(user, board: Board) -> bool:
    """A program's private board: its accepted members, the board's moderators and staff.

    Asked only for boards with a program, so public boards cost no query;
    membership is one query per request, cached on the user.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if can_moderate(user, board):
        return True
    return board.program_id in accepted_program_ids(user)


def can_view_board(user, board: Board) -> bool:
    if board.program_id is not None and not in_board_program(user, board):
        return False
    if board.visibility == Board.Visibility.EVERYONE:
        return True
    if not user.is_authenticated:
        return False
    if board.visibility == Board.Visibility.STAFF:
        return user.is_staff
    return True


def board_readers(board: Board) -> Q:
    """can_view_board as a filter on users, for choosing many recipients at once."""
    readers = Q()
    if board.visibility == Board.Visibility.STAFF:
        readers = Q(is_staff=True)
    if board.program_id is not None:
        readers &= (
            Q(is_staff=True)
            | Q(is_global_moderator=True)
            | Q(pk__in=accepted_members(board.program_id))
            | Q(pk__in=BoardModerator.objects.filter(board=board).values("user_id"))
            | Q(
                pk__in=SectionModerator.objects.filter(section_id=board.section_id).values(
                    "user_id"
                )
            )
        )
    return readers


def can_view_thread(user, thread) -> bool:
    if not can_view_board(user, thread.board):
        return False
    if thread.is_pending and not thread.is_hidden:
        # Awaiting approval: its author and the board's moderators only.
        is_author = user.is_authenticated and thread.author_id == user.pk
        return is_author or can_moderate(user, thread.board)
    return not thread.is_hidden or can_moderate(user, thread.board)


def can_view_own_hidden(user, content) -> bool:
    """The author of a hidden thread or post sees it, read-only and marked hidden with the
    moderator's reason (the notice they were sent links there); everyone else but the
    board's moderators still gets a 404 or the placeholder. `content`: a Thread or a Post."""
    return (
        content.is_hidden
        and user.is_authenticated
        and content.author_id is not None
        and content.author_id == user.pk
    )


def can_view_post(user, post) -> bool:
    """A post awaiting approval (or rejected) is shown to its author and moderators only."""
    if not can_view_thread(user, post.thread):
        return False
    if post.is_pending or post.floor is None:
        is_author = user.is_authenticated and post.author_id == user.pk
        return is_author or can_moderate(user, post.thread.board)
    return True


def has_verified_email(user) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


def _until(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i T")


def sanction_denied_reason(user, *, posting: bool) -> str | None:
    """Why a sanction stops this write, read from the user row (no query, no job).

    Suspended members are read-only: no posts, edits, likes or reports.
    Silenced ones may still like and report, but write nothing others read
    (posts, replies, edits; messages when there are any): posting=True.
    """
    if user.is_suspended:
        if user.is_suspended_permanently:
            message = _("Your account is suspended: %(reason)s")
        else:
            message = _("Your account is suspended until %(until)s: %(reason)s")
        return message % {"until": _until(user.suspended_until), "reason": user.suspension_reason}
    if posting and user.is_silenced:
        return _("You are silenced until %(until)s and cannot post: %(reason)s") % {
            "until": _until(user.silenced_until),
            "reason": user.silence_reason,
        }
    return None


def posting_denied_reason(user, board: Board) -> str | None:
    """Why this user may not post in this board, or None if they may."""
    if not user.is_authenticated:
        return _("Sign in to post.")
    if not user.is_active:
        return _("This account is disabled.")
    sanctioned = sanction_denied_reason(user, posting=True)
    if sanctioned:
        return sanctioned
    if not can_view_board(user, board):
        return _("You cannot post in this board.")
    if (
        settings.POPCORN["POSTING_REQUIRES_VERIFIED_EMAIL"]
        and not user.is_staff
        and not has_verified_email(user)
    ):
        return _("Confirm your email address before you post.")
    return None


def start_thread_denied_reason(user, board: Board) -> str | None:
    reason = posting_denied_reason(user, board)
    if reason:
        return reason
    if board.posting == Board.Posting.STAFF and not user.is_staff:
        return _("Only staff can start threads in this board.")
    return None


def reply_denied_reason(user, thread) -> str | None:
    reason = posting_denied_reason(user, thread.board)
    if reason:
        return reason
    if thread.moved_to_id:
        return _("This thread has moved.")
    if thread.is_hidden:
        return _("This thread has been hidden.")
    if thread.is_pending:
        return _("This thread is awaiting approval.")
    if thread.is_locked and not can_moderate(user, thread.board):
        return _("This thread is locked.")
    return None


def below_level(user, level_key: str) -> bool:
    """Whether the member's reputation is under that level's threshold."""
    try:
        return user.reputation < level_by_key(level_key).threshold
    except KeyError:
        return False  # a level the operator removed holds nobody back


def attachments_denied_reason(user, board: Board | int) -> str | None:
    """Why this member may not attach files to a post in this board, or None if they may.

    The posting limits refuse such a post (forum.services.limits asks here); the posting
    forms ask first, so a newcomer reads the rule instead of a file input. Off when the
    limits are; the board's moderators and staff are exempt, as from every limit.
    """
    if not user.is_authenticated:
        return _("Sign in to post.")
    rules = settings.POPCORN
    if not rules["POSTING_LIMITS_ENABLED"] or not below_level(user, rules["ATTACHMENTS_MIN_LEVEL"]):
        return None
    # Asked last: for a board moderator it may cost the reach query.
    if user.is_staff or can_moderate(user, board):
        return None
    needed = level_by_key(rules["ATTACHMENTS_MIN_LEVEL"])
    return _(
        "Your level cannot attach files yet: you can from the %(level)s level "
        "(%(points)d reputation) on."
    ) % {"level": needed.name, "points": needed.threshold}


def can_start_thread(user, board: Board) -> bool:
    return start_thread_denied_reason(user, board) is None


def can_reply(user, thread) -> bool:
    return reply_denied_reason(user, thread) is None


def check_can_view_board(user, board: Board) -> None:
    if not can_view_board(user, board):
        raise PermissionDenied(_("You cannot see this board."))


def watch_denied_reason(user) -> str | None:
    """Why this user may not start watching anything now: suspended members are read-only.

    Whether they may see the thread or board is asked by the watching services too.
    """
    if not user.is_authenticated:
        return _("Sign in to watch threads and boards.")
    if not user.is_active:
        return _("This account is disabled.")
    return sanction_denied_reason(user, posting=False)


def like_denied_reason(user, post) -> str | None:
    """Why this user may not like this post, or None if they may."""
    if not user.is_authenticated:
        return _("Sign in to like posts.")
    if not user.is_active:
        return _("This account is disabled.")
    sanctioned = sanction_denied_reason(user, posting=False)
    if sanctioned:
        return sanctioned
    if not can_view_thread(user, post.thread):
        return _("You cannot see this post.")
    if post.is_hidden or post.thread.is_hidden:
        return _("This post has been hidden.")
    if post.is_pending or post.thread.is_pending:
        return _("This post is awaiting approval.")
    if post.author_id == user.pk:
        return _("You cannot like your own post.")
    return None


def can_like(user, post) -> bool:
    return like_denied_reason(user, post) is None


def offers_like(user, post) -> bool:
    """Whether a post shows this viewer its like (or unlike) button: signed in, not
    their own post, neither it nor its thread hidden. Pressing it asks like_denied_reason."""
    return (
        user.is_authenticated
        and post.author_id != user.pk
        and not post.is_hidden
        and not post.thread.is_hidden
    )


def edit_denied_reason(user, post) -> str | None:
    """Why this user may not edit this post now, or None if they may.

    Authors edit within POST_EDIT_WINDOW_SECONDS and not in locked threads;
    moderators of the board (staff and global moderators included) any time.
    """
    if not user.is_authenticated:
        return _("Sign in to edit posts.")
    if not user.is_active:
        return _("This account is disabled.")
    sanctioned = sanction_denied_reason(user, posting=True)
    if sanctioned:
        return sanctioned
    thread = post.thread
    if not can_view_board(user, thread.board):
        return _("You cannot post in this board.")
    if post.is_hidden or thread.is_hidden:
        return _("Hidden posts cannot be edited.")
    if post.is_pending or post.floor is None:
        return _("Posts awaiting approval cannot be edited.")
    if can_moderate(user, thread.board):
        return None
    if post.author_id != user.pk:
        return _("You can only edit your own posts.")
    if thread.is_locked:
        return _("This thread is locked.")
    window = settings.POPCORN["POST_EDIT_WINDOW_SECONDS"]
    if timezone.now() - post.created_at > timedelta(seconds=window):
        return _("Posts can be edited only within %(window)s of posting.") % {
            "window": timesince(timezone.now() - timedelta(seconds=window))
        }
    return None


def can_edit_post(user, post) -> bool:
    return edit_denied_reason(user, post) is None


def check_can_edit_post(user, post) -> None:
    reason = edit_denied_reason(user, post)
    if reason:
        raise PermissionDenied(reason)


def can_view_revisions(user, post) -> bool:
    """Earlier versions are shown to the author and the board's moderators only.

    Fans paste IMEIs, serial numbers and account names into bug reports and
    edit them out; a public history would publish them anyway.
    """
    if not user.is_authenticated:
        return False
    return post.author_id == user.pk or can_moderate(user, post.thread.board)


def check_can_view_thread(user, thread) -> None:
    if not can_view_thread(user, thread):
        raise PermissionDenied(_("You cannot see this thread."))


# Private messages and bookmarks -------------------------------------------------------


def messaging_denied_reason(user) -> str | None:
    """Why this user may not start or send private messages now (the posting sanctions:
    suspended and silenced members write nothing others read)."""
    if not user.is_authenticated:
        return _("Sign in to send messages.")
    if not user.is_active:
        return _("This account is disabled.")
    return sanction_denied_reason(user, posting=True)


def check_can_message(user) -> None:
    reason = messaging_denied_reason(user)
    if reason:
        raise PermissionDenied(reason)


def draft_denied_reason(user, *, board: Board | None = None, thread=None) -> str | None:
    """Why this member may not save a draft for a new thread in `board` (or a reply to
    `thread`), or None. As Discourse does: drafts only where the member may post, so a
    silenced or suspended member, or a locked thread, saves none (their drafts stay theirs
    to read and discard)."""
    if thread is not None:
        return reply_denied_reason(user, thread)
    return start_thread_denied_reason(user, board)


def can_send_warning(user) -> bool:
    """Staff and moderators may send a moderator warning as a message (blocks do not stop it)."""
    return bool(moderation_reach(user))


def can_bookmark(user, post) -> bool:
    return user.is_authenticated and user.is_active and can_view_post(user, post)


# City meetups (forum.services.meetups) -----------------------------------------------


def organise_denied_reason(user) -> str | None:
    """Staff, and members from POPCORN["MEETUP_ORGANISER_MIN_LEVEL"] up, may organise."""
    if not user.is_authenticated:
        return _("Sign in to organise a meetup.")
    if user.is_staff:
        return None
    key = settings.POPCORN["MEETUP_ORGANISER_MIN_LEVEL"]
    if below_level(user, key):
        needed = level_by_key(key)
        return _(
            "Members from the %(level)s level (%(points)d reputation) on may organise meetups."
        ) % {"level": needed.name, "points": needed.threshold}
    return None


def can_organise(user) -> bool:
    return organise_denied_reason(user) is None


def can_manage_event(user, event) -> bool:
    """Its organiser, the board's moderators and staff see the list, export it and
    show the check-in code."""
    if not user.is_authenticated:
        return False
    if user.is_staff or (event.organiser_id is not None and event.organiser_id == user.pk):
        return True
    return can_moderate(user, event.thread.board)


def check_can_manage_event(user, event) -> None:
    if not can_manage_event(user, event):
        raise PermissionDenied(_("Only the meetup's organiser may do this."))


def signup_denied_reason(user, event, *, now=None) -> str | None:
    if not user.is_authenticated:
        return _("Sign in to sign up.")
    now = now or timezone.now()
    if event.is_cancelled:
        return _("This meetup was cancelled.")
    if event.thread.is_hidden or event.thread.is_pending:
        return _("This meetup is not open for sign-ups.")
    if now >= event.signup_deadline:
        return _("Sign-ups for this meetup have closed.")
    return None


def vote_denied_reason(user, thread) -> str | None:
    """Why this user may not say "me too" on this bug report (or vote on this feedback)."""
    if not user.is_authenticated:
        return _("Sign in to say “me too”.")
    if not user.is_active:
        return _("This account is disabled.")
    sanctioned = sanction_denied_reason(user, posting=False)
    if sanctioned:
        return sanctioned
    if not can_view_thread(user, thread):
        return _("You cannot see this thread.")
    if thread.thread_type not in VOTED_TYPES:
        return _("Only bug reports and feedback take votes.")
    if thread.duplicate_of_id:
        return _("This thread was closed as a duplicate: vote on the original.")
    if thread.is_hidden or thread.is_pending or thread.moved_to_id:
        return _("This thread takes no votes now.")
    if thread.author_id == user.pk:
        return _("You reported this yourself.")
    return None


def offers_vote(user, thread) -> bool:
    """Whether the thread page shows this viewer the "me too" / vote button."""
    return vote_denied_reason(user, thread) is None


def can_view_triage(user) -> bool:
    """The firmware team's triage pages and webhook-facing lists: staff and moderators
    (of any board, or global); never a suspended account (moderation_reach says so)."""
    return bool(user.is_authenticated and (user.is_staff or moderation_reach(user)))


def check_can_view_triage(user) -> None:
    if not can_view_triage(user):
        raise PermissionDenied(_("Only staff and moderators see the triage pages."))


# Polls -------------------------------------------------------------------------------


def poll_vote_denied_reason(user, thread, poll, *, now=None) -> str | None:
    """Why this user may not vote (or change or take back a vote) in this thread's poll."""
    if not user.is_authenticated:
        return _("Sign in to vote.")
    if not user.is_active:
        return _("This account is disabled.")
    # Silenced members do not vote either: a vote is shown to others (public polls).
    sanctioned = sanction_denied_reason(user, posting=True)
    if sanctioned:
        return sanctioned
    if not can_view_thread(user, thread):
        return _("You cannot see this thread.")
    if thread.is_hidden or thread.is_pending or thread.moved_to_id or thread.is_locked:
        return _("This thread takes no votes now.")
    if poll.is_closed(now):
        return _("This poll is closed.")
    return None


def poll_author_denied_reason(user, thread) -> str | None:
    """Why this user may not add or change this thread's poll (its author may, while
    allowed to post in the board; votes, once cast, are checked by the service)."""
    if not user.is_authenticated:
        return _("Sign in to post.")
    if thread.author_id != user.pk:
        return _("Only the thread's author can add or change its poll.")
    return posting_denied_reason(user, thread.board)


def can_close_poll(user, thread, poll) -> bool:
    """Its thread's author and the board's moderators, while the poll is open."""
    if not user.is_authenticated or poll.closed_at is not None:
        return False
    return thread.author_id == user.pk or can_moderate(user, thread.board)


def results_visible(poll, *, voted: bool, now=None) -> bool:
    """Discourse's "show results": always, after voting, or only once closed."""
    if poll.is_closed(now) or poll.results == PollResults.ALWAYS:
        return True
    return poll.results == PollResults.ON_VOTE and voted
