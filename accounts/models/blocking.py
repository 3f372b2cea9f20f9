"""A member's block (ignore) list: whom they do not want to hear from."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Block(models.Model):
    """`blocker` ignores `blocked`: their posts fold away, their notifications and
    messages stop (accounts.services.notifications, forum.services.messages)."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="block_not_self"),
        ]
        indexes = [
            # "Who blocked this actor?": the fan-out's anti-join.
            models.Index(fields=["blocked", "blocker"], name="block_by_blocked"),
            # My block list, newest first.
            models.Index(fields=["blocker", "-created_at", "-id"], name="block_list"),
        ]

    def __str__(self):
        return f"{self.blocker_id} blocks {self.blocked_id}"
