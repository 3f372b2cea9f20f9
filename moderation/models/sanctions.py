"""Formal warnings; the audit log holds every other sanction's history."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Warning(models.Model):
    """A moderator's formal warning to a member.

    Enough of them within a window silence the member automatically
    (moderation.services.user_warn); each warning also has its audit row.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_warnings"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_name = models.CharField(_("moderator"), max_length=150)
    reason = models.CharField(_("reason"), max_length=500)
    # Where the offence was, when the warning came from a post: that board's log shows it.
    board = models.ForeignKey(
        "forum.Board", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="warning_user_recent")]

    def __str__(self):
        return f"{self.by_name} warned {self.user_id}"
