"""What moderation's notifications tell a member (accounts.notification_texts renders
them, in the reader's language). Registered by moderation.apps; the keys are stored
on each row, with the titles, names, codes and ISO times they are filled in with."""

from django.utils.translation import gettext_lazy as _

from accounts.models import NotificationMessage as Message
from accounts.models import notification_choice_label as choice_label
from forum.models import BugStatus, FeedbackStatus

MODERATION_MESSAGES = {
    # Threads: flags, hiding, moving (params: title, and board / target / new).
    "moderation.thread_pinned": _("“%(title)s” was pinned"),
    "moderation.thread_announced": _("“%(title)s” was pinned site-wide as an announcement"),
    "moderation.thread_unpinned": _("“%(title)s” was unpinned"),
    "moderation.thread_locked": _("“%(title)s” was locked"),
    "moderation.thread_unlocked": _("“%(title)s” was unlocked"),
    "moderation.thread_featured": _("“%(title)s” was featured"),
    "moderation.thread_unfeatured": _("“%(title)s” is no longer featured"),
    "moderation.thread_bug_status": Message(
        _("Status of “%(title)s”: %(status)s"), labels={"status": choice_label(BugStatus)}
    ),
    "moderation.thread_bug_fixed": _("Status of “%(title)s”: fixed in %(version)s"),
    "moderation.thread_feedback_status": Message(
        _("Status of “%(title)s”: %(status)s"),
        labels={"status": choice_label(FeedbackStatus)},
    ),
    "moderation.thread_duplicate": _("“%(title)s” was closed as a duplicate of “%(target)s”"),
    "moderation.thread_slow_mode": _("Slow mode in “%(title)s” changed"),
    "moderation.thread_hidden": _("“%(title)s” was hidden"),
    "moderation.thread_restored": _("“%(title)s” was restored"),
    "moderation.thread_moved": _("“%(title)s” was moved to %(board)s"),
    "moderation.thread_merged": _("“%(title)s” was merged into “%(target)s”"),
    "moderation.posts_split": _("Posts from “%(title)s” were moved to “%(new)s”"),
    # Posts (params: title, the thread's).
    "moderation.post_hidden": _("Your post in “%(title)s” was hidden"),
    "moderation.post_restored": _("Your post in “%(title)s” was restored"),
    "moderation.post_helpful": _("Your post in “%(title)s” was marked helpful"),
    "moderation.post_unhelpful": _("Your post in “%(title)s” is no longer marked helpful"),
    # The approval queue.
    "moderation.thread_approved": _("Your thread “%(title)s” was approved and is now public"),
    "moderation.reply_approved": _("Your reply in “%(title)s” was approved and is now public"),
    "moderation.thread_rejected": _("Your thread “%(title)s” was not approved"),
    "moderation.reply_rejected": _("Your reply in “%(title)s” was not approved"),
    # Reports, told to the reporters.
    "moderation.report_upheld": _(
        "Thanks: your report on “%(title)s” was upheld and the post hidden"
    ),
    "moderation.report_dismissed": _("Your report on “%(title)s” was reviewed: the post stays"),
    # Sanctions (params: until, an ISO time).
    "moderation.suspended": _("Your account is suspended"),
    "moderation.suspended_until": Message(
        _("Your account is suspended until %(until)s"), moments=("until",)
    ),
    "moderation.suspension_lifted": _("Your suspension was lifted"),
    "moderation.silenced_until": Message(_("You are silenced until %(until)s"), moments=("until",)),
    "moderation.silence_lifted": _("Your silence was lifted"),
    "moderation.warned": _("A moderator warned you"),
}
