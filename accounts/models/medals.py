from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .users import User

# How many medals a member may show next to their name on posts.
MEDALS_SHOWN_MAX = 3


class MedalRule(models.TextChoices):
    """What earns a medal in the nightly job (accounts.services.medals); MANUAL: staff only."""

    MANUAL = "manual", _("Awarded by staff only")
    BUGS_CONFIRMED = "bugs_confirmed", _("Confirmed bug reports")
    CHECK_IN_STREAK = "check_in_streak", _("Days in a row of check-ins")
    PROGRAM_MEMBER = "program_member", _("Beta tester in an early-access programme")
    MEETUPS_ATTENDED = "meetups_attended", _("Meetups attended")
    LIKES_RECEIVED = "likes_received", _("Likes received")


class Medal(models.Model):
    """A medal (勋章): what it looks like, what it says, and the rule that awards it."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # A short emoji or symbol shown as text (safe in any page), or an uploaded image.
    icon = models.CharField(_("icon"), max_length=8, blank=True, default="🏅")
    image = models.ImageField(_("image"), upload_to="medals/", blank=True)
    rule = models.CharField(
        _("rule"), max_length=20, choices=MedalRule.choices, default=MedalRule.MANUAL
    )
    # The figure the rule needs: 1 confirmed bug, 100 days, 1,000 likes ...
    threshold = models.PositiveIntegerField(_("threshold"), default=1)
    is_active = models.BooleanField(_("awarded by the nightly job"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("medal")
        verbose_name_plural = _("medals")

    def __str__(self):
        return self.name


class MemberMedal(models.Model):
    """A medal a member holds: once per member and medal, whoever awarded it.

    `shown_position` (1..3) is where it stands next to the member's name on
    posts; the two constraints keep at most three shown, each in its own place.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="medals")
    medal = models.ForeignKey(Medal, on_delete=models.CASCADE, related_name="holders")
    awarded_at = models.DateTimeField(default=timezone.now)
    # Empty when the nightly job awarded it; the staff member's name otherwise.
    awarded_by_name = models.CharField(max_length=150, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    shown_position = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["medal__position", "medal_id"]
        verbose_name = _("member's medal")
        verbose_name_plural = _("members' medals")
        constraints = [
            models.UniqueConstraint(fields=["user", "medal"], name="membermedal_once"),
            models.UniqueConstraint(
                fields=["user", "shown_position"],
                condition=Q(shown_position__isnull=False),
                name="membermedal_one_per_place",
            ),
            models.CheckConstraint(
                condition=Q(shown_position__isnull=True)
                | Q(shown_position__gte=1, shown_position__lte=MEDALS_SHOWN_MAX),
                name="membermedal_shown_places",
            ),
        ]
        indexes = [
            # Posts prefetch their authors' shown medals.
            models.Index(
                fields=["user", "shown_position"],
                name="membermedal_shown",
                condition=Q(shown_position__isnull=False),
            ),
            models.Index(fields=["medal", "-awarded_at"], name="membermedal_recent"),
        ]

    def __str__(self):
        return f"{self.medal_id} for {self.user_id}"
