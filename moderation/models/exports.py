"""Member exports from the staff console."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserExport(models.Model):
    """One export of the console's member list: streamed at once, or written by a job.

    Every export has a row (and an audit row), so who exported what, when and
    how many rows is on record. A job's file is deleted after EXPORT_KEEP_HOURS.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Writing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Deleted")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by_name = models.CharField(max_length=150)
    # The list's filter as submitted (field -> value), re-applied by the job.
    filters = models.JSONField(default=dict, blank=True)
    include_emails = models.BooleanField(default=False)
    streamed = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("export_emails", _("Can export members' email addresses"))]
        indexes = [models.Index(fields=["created_at"], name="userexport_created")]

    def __str__(self):
        return f"export {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        """How far the job is, 0..100 (rows written of the rows counted when asked)."""
        return min(100, int(100 * self.rows_written / self.total_rows)) if self.total_rows else 0
