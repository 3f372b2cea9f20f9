from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .users import User


class CheckIn(models.Model):
    """A member's daily check-in; the unique day makes a double click count once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="check_ins")
    day = models.DateField(_("day"))
    # The streak this check-in reached, kept so history reads without replaying.
    streak = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="check_in_once_a_day"),
        ]

    def __str__(self):
        return f"{self.user_id} on {self.day}"
