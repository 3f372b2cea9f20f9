"""What forum's notifications say (accounts.notification_texts renders them, in the
reader's language). Registered by forum.apps; the keys are stored on each row."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.models import NotificationMessage as Message

FORUM_MESSAGES = {
    # City meetups (forum.services.meetups): a seat from the waiting list, the reminder.
    "forum.meetup_seat": Message(
        _("A seat came free: you now have a seat at “%(title)s” (%(starts)s)"),
        moments=("starts",),
    ),
    "forum.meetup_reminder": Message(
        _("Reminder: “%(title)s” starts %(starts)s at %(place)s"), moments=("starts",)
    ),
    "forum.reply": _("%(actor)s replied in “%(title)s”"),
    "forum.quote": _("%(actor)s quoted you in “%(title)s”"),
    "forum.mention": _("%(actor)s mentioned you in “%(title)s”"),
    "forum.new_thread": _("%(actor)s started “%(title)s”"),
    "forum.bug_fixed": _("“%(title)s”, which you hit too, is fixed in %(version)s"),
    "forum.like": _("%(actor)s liked your post in “%(title)s”"),
    "forum.message": _("%(actor)s sent you a message: “%(title)s”"),
    "forum.message_warning": _("Moderator warning from %(actor)s: “%(title)s”"),
    # Likes on one post fold into one row; past the first, the others are counted.
    "forum.like.many": ngettext_lazy(
        "%(actor)s and %(others)s other liked your post in “%(title)s”",
        "%(actor)s and %(others)s others liked your post in “%(title)s”",
        "others",
    ),
}
