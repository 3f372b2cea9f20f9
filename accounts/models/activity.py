from django.db import models
from django.utils.translation import gettext_lazy as _

from .users import User


class DailyActivity(models.Model):
    """One row per member per day they did anything (site time zone).

    The visit inserts the row (insert-or-ignore, at most once a day thanks to a
    cache guard); forum's writes bump the counters through accounts services,
    so the daily jobs and program criteria count from this table alone,
    without reading forum's tables.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="daily_activity")
    day = models.DateField(_("day"))
    visited = models.BooleanField(default=True)
    posts = models.PositiveIntegerField(default=0)
    threads = models.PositiveIntegerField(default=0)
    likes_given = models.PositiveIntegerField(default=0)
    likes_received = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily activity")
        verbose_name_plural = _("daily activity")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="daily_activity_once_a_day"),
        ]
        indexes = [
            # The daily jobs read one day (or a 30-day window) for everyone.
            models.Index(fields=["day", "user"], name="daily_activity_by_day"),
        ]

    def __str__(self):
        return f"{self.user_id} on {self.day}"
