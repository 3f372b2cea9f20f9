from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyStats(models.Model):
    """Site-wide figures for one day (site time zone), written by accounts.services.stats.

    Recomputed whole for a day by one upsert, so a rerun or a backfill leaves the
    same row. Per-section figures are forum's (forum.SectionDailyStats).
    """

    day = models.DateField(_("day"), unique=True)
    dau = models.PositiveIntegerField(_("daily actives"), default=0)
    wau = models.PositiveIntegerField(_("weekly actives"), default=0)
    mau = models.PositiveIntegerField(_("monthly actives"), default=0)
    # DAU / MAU, 0..1; stored so charts and exports need no arithmetic.
    stickiness = models.FloatField(_("stickiness"), default=0)
    # Members who posted or liked that day (a subset of what they did, apart from visits).
    engaged = models.PositiveIntegerField(_("engaged members"), default=0)
    new_users = models.PositiveIntegerField(_("sign-ups"), default=0)
    new_threads = models.PositiveIntegerField(_("new threads"), default=0)
    new_posts = models.PositiveIntegerField(_("new posts"), default=0)
    likes = models.PositiveIntegerField(_("likes"), default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["-day"]
        verbose_name = _("daily statistics")
        verbose_name_plural = _("daily statistics")

    def __str__(self):
        return f"stats {self.day}"


class DailyVisitGaps(models.Model):
    """The members who visited on a day counted by the days since their previous visit
    (key "0": none in the 29 days before). WAU and MAU of any day are sums over the
    window's rows (accounts.services.stats): each day is counted once, from its own
    activity rows, instead of a distinct count over a month of them."""

    day = models.DateField(_("day"), unique=True)
    gaps = models.JSONField(default=dict)
    computed_at = models.DateTimeField(_("computed at"))

    def __str__(self):
        return f"visit gaps {self.day}"


class CoreFlagChange(models.Model):
    """One row per change of a member's core flag or its lock: who or which job, and why."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="core_flag_changes"
    )
    old = models.BooleanField(_("was core"))
    new = models.BooleanField(_("is core"))
    lock = models.CharField(_("lock"), max_length=3, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The staff member's name, or the job's ("accounts.update_core_flags").
    changed_by_name = models.CharField(_("changed by"), max_length=150)
    reason = models.CharField(_("why"), max_length=500)
    created_at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("core flag change")
        verbose_name_plural = _("core flag changes")
        indexes = [models.Index(fields=["user", "-created_at"], name="coreflag_user_recent")]

    def __str__(self):
        return f"{self.user_id}: {self.old} -> {self.new}"
