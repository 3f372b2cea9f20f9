"""A member's own data as a downloadable archive (accounts.services.member_data)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MemberArchive(models.Model):
    """One archive of a member's data, built by a job, downloaded by a signed link.

    At most one is being built per member at a time (a constraint), so asking twice
    queues one job. Ready archives expire after MEMBER_ARCHIVE_DAYS and are deleted.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready to download")
        EXPIRED = "expired", _("Expired")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="archives"
    )
    # The member, or staff acting on their request (audited by moderation).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to="archives/%Y/%m/", blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status="pending"),
                name="archive_one_pending_per_member",
            )
        ]
        indexes = [models.Index(fields=["member", "-id"], name="archive_member")]
