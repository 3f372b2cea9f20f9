"""Members' reports of posts, grouped per post into one case for the queue."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Abusive or harassing")
    OFF_TOPIC = "off_topic", _("Off-topic")
    WRONG_BOARD = "wrong_board", _("In the wrong board")
    OTHER = "other", _("Something else")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class ReportCase(models.Model):
    """Every report of one post, as one item in the moderators' queue.

    One row per post, ever: a post reported again after a dismissal reopens
    its case. Counts and times are kept by moderation.services.reports with F() under
    the case's row lock, so the queue reads one row per item.
    """

    post = models.OneToOneField("forum.Post", on_delete=models.CASCADE, related_name="report_case")
    is_open = models.BooleanField(default=True)
    open_count = models.PositiveIntegerField(_("open reports"), default=0)
    report_count = models.PositiveIntegerField(_("reports ever"), default=0)
    # The current round: since the case last opened.
    first_reported_at = models.DateTimeField(default=timezone.now)
    last_reported_at = models.DateTimeField(default=timezone.now)
    resolution = models.CharField(
        max_length=10, choices=ReportStatus.choices, blank=True, default=""
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_by_name = models.CharField(max_length=150, blank=True)
    resolution_note = models.CharField(max_length=500, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report case")
        verbose_name_plural = _("report cases")
        indexes = [
            # The queue: open cases, oldest first.
            models.Index(
                fields=["first_reported_at", "id"],
                name="reportcase_open_queue",
                condition=Q(is_open=True),
            ),
        ]

    def __str__(self):
        return f"case {self.pk} on post {self.post_id}"


class Report(models.Model):
    """One member's report of one post; each member reports a post once."""

    case = models.ForeignKey(ReportCase, on_delete=models.CASCADE, related_name="reports")
    post = models.ForeignKey("forum.Post", on_delete=models.CASCADE, related_name="+")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reporter_name = models.CharField(max_length=150)
    reason = models.CharField(_("reason"), max_length=12, choices=ReportReason.choices)
    text = models.CharField(_("details"), max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="report_once_per_post"),
        ]
        indexes = [
            models.Index(fields=["case", "status"], name="report_case_status"),
            # A reporter's dismissed reports in the window (the rate limit).
            models.Index(fields=["reporter", "status", "-resolved_at"], name="report_reporter"),
        ]

    def __str__(self):
        return f"{self.reporter_name} reported post {self.post_id}: {self.reason}"


class MessageReport(models.Model):
    """A participant's report of one private message: a moderator may then read that
    message, and only that one (audited, moderation.services.reports)."""

    message = models.ForeignKey("forum.Message", on_delete=models.CASCADE, related_name="+")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reporter_name = models.CharField(max_length=150)
    reason = models.CharField(_("reason"), max_length=12, choices=ReportReason.choices)
    text = models.CharField(_("details"), max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_by_name = models.CharField(max_length=150, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message report")
        verbose_name_plural = _("message reports")
        constraints = [
            models.UniqueConstraint(fields=["message", "reporter"], name="messagereport_once"),
        ]
        indexes = [
            models.Index(
                fields=["created_at", "id"],
                name="messagereport_open_queue",
                condition=Q(status="open"),
            ),
        ]

    def __str__(self):
        return f"{self.reporter_name} reported message {self.message_id}"
