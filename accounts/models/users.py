from datetime import UTC, datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.languages import language_choices
from accounts.levels import level_for
from accounts.querysets import UserManager


class FirmwareChannel(models.TextChoices):
    STABLE = "stable", _("Stable")
    BETA = "beta", _("Beta")
    DEVELOPER = "developer", _("Developer")


class Device(models.Model):
    """A phone model in the catalogue; threads are tagged with it and fans own it."""

    brand = models.CharField(_("brand"), max_length=60)
    model = models.CharField(_("model"), max_length=100)
    codename = models.SlugField(_("codename"), max_length=40, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "brand", "model"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")

    def __str__(self):
        return f"{self.brand} {self.model}"


# A permanent suspension is one that ends in the year 9000: the same column and
# comparison as any other, and far enough from datetime.max that converting it
# to any time zone cannot overflow.
SANCTION_PERMANENT_UNTIL = datetime(9000, 1, 1, tzinfo=UTC)


class CoreLock(models.TextChoices):
    """Staff may pin a member's core flag; the daily job leaves locked members alone."""

    NONE = "", _("Not locked")
    ON = "on", _("Locked on")
    OFF = "off", _("Locked off")


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    # Set when the member deleted their account: the row stays (their posts keep an
    # author), renamed deleted-<id>, with every personal field emptied.
    deleted_at = models.DateTimeField(null=True, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to="avatars/%Y/%m/", blank=True)
    signature = models.CharField(_("signature"), max_length=500, blank=True)
    devices = models.ManyToManyField(
        Device, verbose_name=_("devices owned"), blank=True, related_name="owners"
    )
    # Kept by forum services in the same transaction as the post, with F().
    post_count = models.PositiveIntegerField(_("posts"), default=0)
    thread_count = models.PositiveIntegerField(_("threads"), default=0)
    # Reputation total, changed only with its ledger row (accounts.services),
    # with database-side arithmetic. The level is derived from it (accounts.levels).
    reputation = models.IntegerField(_("reputation"), default=0)
    # Kept with F() by accounts.services.notification_* so the bell on every
    # page costs no query.
    unread_notifications = models.PositiveIntegerField(default=0)
    # Conversations with messages I have not read, kept with F() by forum.services.messages
    # (repaired by sync_counters), so the header's envelope costs no query either.
    unread_conversations = models.PositiveIntegerField(default=0)
    # How many members this one blocked (accounts.services.blocking, F()); at 0 the
    # block list is never read, so pages of members who block nobody pay nothing.
    block_count = models.PositiveIntegerField(default=0)
    # {kind: delivery}; a kind missing here gets DEFAULT_DELIVERY.
    notification_settings = models.JSONField(default=dict, blank=True)
    auto_watch = models.BooleanField(_("watch threads I start or reply to"), default=True)
    # Pages, notifications and emails in this language (accounts.languages);
    # set from the browser at sign-up, blank for members who joined before.
    language = models.CharField(
        _("language"), max_length=15, choices=language_choices, blank=True, default=""
    )
    # A flag, not a Group: it comes with the user row every request already
    # loads, so asking "may this user moderate here?" costs no extra query.
    is_global_moderator = models.BooleanField(
        _("global moderator"),
        default=False,
        help_text=_("Moderates every board, like staff, without access to the admin."),
    )
    # Sanctions are read from the user row every request already loads, and an
    # expiry is compared with now() there, so it takes effect on time without a
    # job. A suspended member can read but not post; a silenced one likewise,
    # and sends no messages. moderation.services writes these with a history row.
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    suspension_reason = models.CharField(_("suspension reason"), max_length=500, blank=True)
    silenced_until = models.DateTimeField(_("silenced until"), null=True, blank=True)
    silence_reason = models.CharField(_("silence reason"), max_length=500, blank=True)
    # Daily check-in (accounts.services.checkin): on the user row so the front page's
    # button and the profile need no query.
    last_check_in = models.DateField(_("last check-in"), null=True, blank=True)
    check_in_streak = models.PositiveIntegerField(_("check-in streak"), default=0)
    best_check_in_streak = models.PositiveIntegerField(_("best check-in streak"), default=0)
    # Activity (accounts.services.activity): kept once a day per member, not per request.
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    days_visited = models.PositiveIntegerField(_("days visited"), default=0)
    # The site-wide core-user flag, kept by accounts.services.core_users (daily job or a
    # staff lock); every change is a CoreFlagChange row.
    is_core = models.BooleanField(_("core user"), default=False)
    core_since = models.DateTimeField(_("core since"), null=True, blank=True)
    core_lock = models.CharField(
        _("core flag lock"),
        max_length=3,
        choices=CoreLock.choices,
        default=CoreLock.NONE,
        blank=True,
    )
    # Where the member goes to meetups (accounts.models.cities); optional.
    city = models.ForeignKey(
        "accounts.City",
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Where the member last signed in from, as a code (config.regions: "CN-GD"), when
    # the site shows IP locations; never the address.
    region = models.CharField(_("IP location"), max_length=8, blank=True, default="")

    # Its updates drop the members' cached rows (accounts.user_cache).
    objects = UserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        indexes = [
            # The member list pages by keyset on each sort: (value, id) descending.
            models.Index(fields=["-reputation", "-id"], name="member_by_reputation"),
            models.Index(fields=["-post_count", "-id"], name="member_by_posts"),
            models.Index(fields=["-date_joined", "-id"], name="member_by_joined"),
            # The tidy-up job finds expired sanctions among the few rows that have one.
            models.Index(
                fields=["suspended_until"],
                name="user_suspended_until",
                condition=Q(suspended_until__isnull=False),
            ),
            models.Index(
                fields=["silenced_until"],
                name="user_silenced_until",
                condition=Q(silenced_until__isnull=False),
            ),
            # Sign-ups per day (daily actives job) and the console's joined filter.
            models.Index(fields=["date_joined"], name="user_joined"),
            # The few core users, read by the flag job and the console's filter.
            models.Index(fields=["core_since"], name="user_core", condition=Q(is_core=True)),
        ]

    def __str__(self):
        return self.username

    @property
    def shown_name(self) -> str:
        return self.display_name or self.username

    def get_absolute_url(self):
        return reverse("forum:member", kwargs={"username": self.username})

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > timezone.now()

    @property
    def is_suspended_permanently(self) -> bool:
        return self.is_suspended and self.suspended_until >= SANCTION_PERMANENT_UNTIL

    @property
    def is_silenced(self) -> bool:
        return self.silenced_until is not None and self.silenced_until > timezone.now()

    @property
    def checked_in_today(self) -> bool:
        return self.last_check_in == timezone.localdate()

    @property
    def current_check_in_streak(self) -> int:
        """The streak as it stands today: broken if yesterday was missed."""
        if self.last_check_in is None:
            return 0
        if (timezone.localdate() - self.last_check_in).days > 1:
            return 0
        return self.check_in_streak

    @property
    def level(self):
        return level_for(self.reputation)
