"""Who may do what on the moderators' and staff's side: one rule each.

Views, services and templates (through moderation.templatetags.moderation_perms)
all ask these, so the header, the pages and the writes cannot drift apart.

- Board and section moderators: their boards' queues and log, board sanctions.
- Global moderators: every board, and suspensions of members.
- Staff: all of that, plus the console, exports, early-access programmes, the
  admin and appointing moderators.

Sanction powers (who may warn, silence or suspend whom):

- staff: any member who is not staff; every sanction.
- global moderators: members who are neither staff nor global moderators.
- board and section moderators: members with no moderator role, and only from
  a board they moderate (the audit row lands in that board's log). They may
  warn, silence for at most POPCORN["BOARD_MODERATOR_MAX_SILENCE_DAYS"] and
  lift a silence; they do not suspend or lift suspensions.
- nobody sanctions themselves, and a suspended moderator moderates nothing.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.permissions import lacks_second_factor, second_factor_refusal
from forum.models import Board, Post
from forum.permissions import (
    ModerationReach,
    can_moderate,
    can_view_post,
    holds_moderation_role,
    moderation_reach,
    sanction_denied_reason,
)


def _active(user) -> bool:
    """Signed in, not disabled, and (for this request's user) past the second factor."""
    return bool(user.is_authenticated and user.is_active and not lacks_second_factor(user))


def needs_second_factor(user) -> bool:
    """A moderator or staff member whose session has not passed a second factor yet."""
    return bool(user.is_authenticated and lacks_second_factor(user) and holds_moderation_role(user))


def _refusal(user, reason: str) -> str:
    """The reason to give: the missing second factor, if that is what stands in the way."""
    return second_factor_refusal() if needs_second_factor(user) else reason


def _active_staff(user) -> bool:
    return _active(user) and user.is_staff


# The staff console, exports and early-access programmes ------------------------


def can_use_console(user) -> bool:
    return _active_staff(user)


def check_can_use_console(user) -> None:
    if not can_use_console(user):
        raise PermissionDenied(_refusal(user, _("The console is for staff.")))


def can_export_emails(user) -> bool:
    return can_use_console(user) and user.has_perm("moderation.export_emails")


def export_denied_reason(user, *, include_emails: bool) -> str | None:
    if not can_use_console(user):
        return _refusal(user, _("The console is for staff."))
    if include_emails and not can_export_emails(user):
        return _("Exporting emails needs its own permission.")
    return None


def check_can_export(user, *, include_emails: bool) -> None:
    denied = export_denied_reason(user, include_emails=include_emails)
    if denied:
        raise PermissionDenied(denied)


def check_can_read_export(user, export) -> None:
    """An export's page, file and download link: staff; one with emails, the email
    permission too (whoever asked for it)."""
    check_can_use_console(user)
    if export.include_emails and not can_export_emails(user):
        raise PermissionDenied(_("This export holds emails; it needs the email permission."))


def can_manage_programs(user) -> bool:
    # The same people as the rest of the staff console.
    return can_use_console(user)


def check_can_manage_programs(user) -> None:
    if not can_manage_programs(user):
        raise PermissionDenied(_refusal(user, _("Early-access programs are managed by staff.")))


def can_use_admin(user) -> bool:
    """The Django admin (Django itself asks is_staff; this is the header's copy of it)."""
    return _active_staff(user)


# Appointing moderators ---------------------------------------------------------


def can_appoint_moderators(user) -> bool:
    return _active_staff(user)


def check_can_appoint_moderators(user) -> None:
    if not can_appoint_moderators(user):
        raise PermissionDenied(_refusal(user, _("Only staff appoint moderators.")))


# Watched words and bans --------------------------------------------------------


def can_manage_screening(user) -> bool:
    """Watched words, banned address ranges and email domains apply to every board, so
    they are kept by global moderators and staff (a board's moderators reach one board)."""
    return _active(user) and not user.is_suspended and (user.is_staff or user.is_global_moderator)


def check_can_manage_screening(user) -> None:
    if not can_manage_screening(user):
        raise PermissionDenied(
            _refusal(user, _("Watched words and bans are kept by global moderators and staff."))
        )


# Queues and the moderation log -------------------------------------------------


def can_see_queues(user) -> bool:
    """Any moderator, of one board or everywhere (the queues show their reach only)."""
    return bool(moderation_reach(user))


def check_can_see_queues(user) -> ModerationReach:
    reach = moderation_reach(user)
    if not reach:
        raise PermissionDenied(_refusal(user, _("The moderation queues are for moderators.")))
    return reach


def can_read_log(user) -> bool:
    """Staff read the whole log; every moderator the rows of the boards they moderate."""
    return _active_staff(user) or bool(moderation_reach(user))


def check_can_read_log(user) -> None:
    if not can_read_log(user):
        raise PermissionDenied(_refusal(user, _("The moderation log is for moderators.")))


# Reporting posts ---------------------------------------------------------------


def report_denied_reason(reporter, post: Post) -> str | None:
    """Why this member may not report this post (the rate limit is checked when filing)."""
    if not reporter.is_authenticated:
        return _("Sign in to report posts.")
    if not reporter.is_active:
        return _("This account is disabled.")
    sanctioned = sanction_denied_reason(reporter, posting=False)
    if sanctioned:  # suspended members are read-only, reports included
        return sanctioned
    if not can_view_post(reporter, post):
        return _("You cannot see this post.")
    if post.author_id == reporter.pk:
        return _("You cannot report your own post.")
    if post.is_hidden or post.thread.is_hidden:
        return _("This post has already been hidden.")
    if post.is_pending or post.thread.is_pending:
        return _("This post is awaiting approval already.")
    return None


# Sanctions ---------------------------------------------------------------------

WARN = "warn"
SILENCE = "silence"
LIFT_SILENCE = "lift_silence"
SUSPEND = "suspend"
LIFT_SUSPENSION = "lift_suspension"
EVERY_POWER = frozenset({WARN, SILENCE, LIFT_SILENCE, SUSPEND, LIFT_SUSPENSION})
BOARD_MODERATOR_POWERS = frozenset({WARN, SILENCE, LIFT_SILENCE})
NO_POWER: frozenset[str] = frozenset()


def _is_moderator(user) -> bool:
    return user.is_staff or user.is_global_moderator or bool(moderation_reach(user))


def can_suspend(user) -> bool:
    """Suspensions are for staff and global moderators (of members below them)."""
    return _active(user) and not user.is_suspended and (user.is_staff or user.is_global_moderator)


def sanction_powers(actor, user, *, board: Board | None = None) -> frozenset[str]:
    """What `actor` may do to `user` (from `board`, for board moderators)."""
    if not _active(actor) or actor.pk == user.pk or user.is_staff:
        return NO_POWER
    if actor.is_suspended:
        return NO_POWER
    if actor.is_staff:
        return EVERY_POWER
    if actor.is_global_moderator:
        return NO_POWER if user.is_global_moderator else EVERY_POWER
    if board is None or not can_moderate(actor, board) or _is_moderator(user):
        return NO_POWER
    return BOARD_MODERATOR_POWERS


def check_sanction_power(actor, user, power: str, *, board: Board | None = None) -> None:
    if power not in sanction_powers(actor, user, board=board):
        raise PermissionDenied(_refusal(actor, _("You may not do this to this member.")))


def can_sanction_anyone(actor) -> bool:
    """Whether the sanction pages are for this user at all (any moderator)."""
    return _active(actor) and _is_moderator(actor)


def check_can_sanction_anyone(actor) -> None:
    """A member's moderation page and history: moderators only."""
    if not can_sanction_anyone(actor):
        raise PermissionDenied(_refusal(actor, _("This page is for moderators.")))


def may_silence_long(actor) -> bool:
    """Staff and global moderators silence for any time; board moderators are capped."""
    return actor.is_staff or actor.is_global_moderator


# A member's data (an archive, erasing the account) ------------------------------------


def member_data_denied_reason(actor, member) -> str | None:
    """The member themselves, or staff on the member's request (not for other staff)."""
    if not actor.is_authenticated or not actor.is_active:
        return _("Sign in first.")
    if member.deleted_at is not None:
        return _("This account has been deleted.")
    if actor.pk == member.pk:
        return None
    if _active_staff(actor) and not member.is_staff:
        return None
    return _refusal(actor, _("Only the member, or staff at their request, may do this."))


def check_member_data(actor, member) -> None:
    reason = member_data_denied_reason(actor, member)
    if reason:
        raise PermissionDenied(reason)


# Private messages ----------------------------------------------------------------


def can_read_message_reports(user) -> bool:
    """Messages belong to no board: their reports are for global moderators and staff."""
    return _active(user) and (user.is_staff or user.is_global_moderator) and not user.is_suspended


def check_can_read_message_reports(user) -> None:
    if not can_read_message_reports(user):
        raise PermissionDenied(_("Reported messages are for global moderators and staff."))


def message_report_denied_reason(reporter, message, *, participant: bool) -> str | None:
    if not reporter.is_authenticated:
        return _("Sign in to report messages.")
    if not reporter.is_active:
        return _("This account is disabled.")
    sanctioned = sanction_denied_reason(reporter, posting=False)
    if sanctioned:
        return sanctioned
    if not participant:
        return _("You are not in this conversation.")
    if message.author_id == reporter.pk:
        return _("You cannot report your own message.")
    return None


def can_award_medals(user) -> bool:
    """Medals by hand: staff only."""
    return bool(user.is_authenticated and user.is_staff)
