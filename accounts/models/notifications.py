from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import notification_texts
from accounts.notification_texts import Message as NotificationMessage
from accounts.notification_texts import choice_label as notification_choice_label
from accounts.notification_texts import register as register_notification_messages

from .users import User

# Other apps word their notifications with these (they import accounts.models only).
__all__ = [
    "BLOCKABLE_KINDS",
    "DEFAULT_DELIVERY",
    "Delivery",
    "Notification",
    "NotificationKind",
    "NotificationMessage",
    "notification_choice_label",
    "register_notification_messages",
]


class NotificationKind(models.TextChoices):
    REPLY = "reply", _("Replies in threads I started or watch")
    QUOTE = "quote", _("Quotes of my posts")
    MENTION = "mention", _("Mentions of me")
    LIKE = "like", _("Likes on my posts")
    NEW_THREAD = "new_thread", _("New threads in boards I watch")
    MODERATION = "moderation", _("Moderator actions on my content")
    EARLY_ACCESS = "early_access", _("Early-access invitations")
    MESSAGE = "message", _("Private messages to me")
    MEETUP = "meetup", _("Meetups I signed up for")
    BUG_UPDATE = "bug_update", _("Bugs I said “me too” to")


class Delivery(models.TextChoices):
    IN_APP = "in_app", _("On the site only")
    EMAIL = "email", _("On the site and by email")
    OFF = "off", _("Off")


DEFAULT_DELIVERY = {
    NotificationKind.REPLY: Delivery.IN_APP,
    NotificationKind.QUOTE: Delivery.IN_APP,
    NotificationKind.MENTION: Delivery.EMAIL,
    NotificationKind.LIKE: Delivery.IN_APP,
    NotificationKind.NEW_THREAD: Delivery.IN_APP,
    NotificationKind.MODERATION: Delivery.EMAIL,
    NotificationKind.EARLY_ACCESS: Delivery.EMAIL,
    NotificationKind.MESSAGE: Delivery.IN_APP,
    NotificationKind.MEETUP: Delivery.EMAIL,
    NotificationKind.BUG_UPDATE: Delivery.IN_APP,
}

# What a member who blocked the actor never hears of; moderators' actions and programme
# invitations still reach them.
BLOCKABLE_KINDS = frozenset(
    {
        NotificationKind.REPLY,
        NotificationKind.QUOTE,
        NotificationKind.MENTION,
        NotificationKind.LIKE,
        NotificationKind.NEW_THREAD,
        NotificationKind.MESSAGE,
    }
)


class Notification(models.Model):
    """Something a member should know about.

    The sending app describes its target as a URL and what it says as a message
    key and parameters (accounts.notification_texts), worded when read in the
    reader's language, so accounts needs no knowledge of forum or moderation.
    `target_title` names what it is about (a thread, a program) and is what
    shows when no key fits, as for rows older than keys. Rows with the same
    group_key (e.g. likes on one post) fold into one unread row with a count.
    """

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    target_url = models.CharField(max_length=300)
    target_title = models.CharField(max_length=200)
    title_key = models.CharField(max_length=60, blank=True)
    # Names, titles and codes the sentence is filled in with; actor and count
    # come from their own columns, which a folded group keeps current.
    title_params = models.JSONField(default=dict, blank=True)
    # Plain text, never Markdown: the bell and emails show it as it is.
    excerpt = models.CharField(max_length=300, blank=True)
    group_key = models.CharField(max_length=100, blank=True)
    count = models.PositiveIntegerField(default=1)
    is_read = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "-updated_at"], name="notification_inbox"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "group_key"],
                condition=Q(is_read=False) & ~Q(group_key=""),
                name="notification_one_unread_per_group",
            )
        ]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id}"

    @property
    def text(self) -> str:
        """What happened, in the active language: "fan1 and 2 others liked your post in …"."""
        params = {
            **(self.title_params or {}),
            "actor": self.actor_name,
            "count": self.count,
            "others": self.count - 1,
        }
        key = self.title_key
        if self.count > 1 and notification_texts.is_known(f"{key}.many"):
            key = f"{key}.many"
        return notification_texts.render(key, params, fallback=self.target_title)
