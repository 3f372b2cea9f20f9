from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.reputation_texts import ledger_text

from .users import User


class ReputationReason(models.TextChoices):
    THREAD = "thread", _("thread started")
    REPLY = "reply", _("reply")
    LIKE = "like", _("like")
    HELPFUL = "helpful", _("marked helpful")
    FEATURED = "featured", _("thread featured")
    BUG_CONFIRMED = "bug_confirmed", _("bug report confirmed")
    CHECK_IN = "check_in", _("daily check-in")
    CHECK_IN_STREAK = "check_in_streak", _("7-day check-in streak")
    INVITEE_ACTIVE = "invitee_active", _("invited member became active")
    CONTENT_REMOVED = "content_removed", _("content removed after a report")
    REPORT_UPHELD = "report_upheld", _("report upheld")
    ADJUSTMENT = "adjustment", _("adjustment by staff")
    MEETUP_ATTENDED = "meetup_attended", _("attended a meetup")


class ReputationEntry(models.Model):
    """One change to a member's reputation; the total on User is the sum of these.

    `source` names what earned the points ("post:41", "like:41:7", "checkin:2026-11-30")
    so the unique constraint makes "never twice for the same source" a database
    rule rather than a check. A taken-back grant is a second row pointing at the
    first (`reverses`), which is itself unique, so a grant is reversed at most once.
    Accounts knows nothing of forum: the row carries the title and URL to show.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reputation_entries")
    points = models.IntegerField()
    reason = models.CharField(max_length=20, choices=ReputationReason.choices)
    source = models.CharField(max_length=100)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="reversal"
    )
    target_title = models.CharField(max_length=200, blank=True)
    target_url = models.CharField(max_length=300, blank=True)
    # For posts, the floor shown in the ledger ("like on 'Battery drain' floor 7").
    target_floor = models.PositiveIntegerField(null=True, blank=True)
    # What else the line is worded with when read (accounts.reputation_texts):
    # {"days": 7} for a streak, {"name": …} for an invitee, {"by": …} for staff.
    title_params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reputation entry")
        verbose_name_plural = _("reputation entries")
        indexes = [
            # The ledger page and the daily reply cap read a member's rows by time.
            models.Index(fields=["user", "-created_at"], name="reputation_ledger"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "reason", "source"],
                condition=Q(reverses__isnull=True),
                name="reputation_never_twice",
            ),
        ]

    def __str__(self):
        return f"{self.points:+d} {self.reason} for {self.user_id}"

    @property
    def text(self) -> str:
        """The ledger line in the active language ("Like on your post in “…”, floor 7")."""
        return ledger_text(self)


class ReputationReconciliation(models.Model):
    """One nightly check of every total against its ledger, and what it repaired."""

    ran_at = models.DateTimeField(default=timezone.now)
    users_repaired = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-ran_at"]
        get_latest_by = "ran_at"

    def __str__(self):
        return f"{self.ran_at:%Y-%m-%d %H:%M}: {self.users_repaired} repaired"
