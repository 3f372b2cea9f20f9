"""The firmware team's outgoing webhook: one row per event, written in the moderator's
transaction (an outbox), sent and retried with backoff by moderation.services.webhooks."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class WebhookDelivery(models.Model):
    class Event(models.TextChoices):
        BUG_CONFIRMED = "bug.confirmed", _("Bug confirmed")
        BUG_FIXED = "bug.fixed", _("Bug fixed")

    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    thread_id = models.BigIntegerField(_("thread"))
    # The JSON body exactly as signed and sent, so every retry sends the same bytes.
    body = models.TextField()
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # Set when the retries ran out: nobody sends it again.
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            # The retry job's scan: only deliveries still waiting.
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_due",
                condition=Q(delivered_at__isnull=True, failed_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.event} #{self.thread_id}"
