"""Programmes members can apply to: the rules staff set, the questions and quiz bank, the
applications with their reasons, the weekly tasks' outcomes and a score history per member.

A programme without ProgramApplyRules (or with applications closed) is invite-only, as
before. Seats are the programme's own counter: an accepted application takes one through
the same conditional UPDATE an accepted invitation does (accounts.services.programs).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .programs import Program, ProgramMembership

# The fields staff set on a programme's application rules (form, API, audit snapshot).
APPLY_RULE_FIELDS = (
    "accepting_applications",
    "auto_accept",
    "quiz_per_day",
    "quiz_pass_mark",
    "weekly_bug_reports_with_log",
    "weekly_missed_limit",
    "start_score",
    "weekly_points",
    "deduct_removed_post",
    "deduct_upheld_report",
    "deduct_silence",
)


class ProgramApplyRules(models.Model):
    program = models.OneToOneField(
        Program, primary_key=True, on_delete=models.CASCADE, related_name="apply_rules"
    )
    accepting_applications = models.BooleanField(_("open for applications"), default=False)
    auto_accept = models.BooleanField(
        _("accept automatically"),
        default=False,
        help_text=_("Applications meeting every criterion and passing the quiz take a free seat."),
    )
    quiz_per_day = models.PositiveSmallIntegerField(_("quiz questions a day"), default=5)
    quiz_pass_mark = models.PositiveSmallIntegerField(
        _("quiz pass mark (correct answers)"), default=4
    )
    # Weekly tasks (0: not a task).
    weekly_bug_reports_with_log = models.PositiveSmallIntegerField(
        _("bug reports with a log in the programme's board each week"), default=0
    )
    weekly_missed_limit = models.PositiveSmallIntegerField(
        _("missed weeks before removal"),
        default=2,
        help_text=_("A member is warned after each missed week and removed only after a warning."),
    )
    # Score history.
    start_score = models.IntegerField(_("score on joining"), default=100)
    weekly_points = models.IntegerField(_("points for a week's tasks done"), default=5)
    deduct_removed_post = models.PositiveIntegerField(_("deduction: removed post"), default=0)
    deduct_upheld_report = models.PositiveIntegerField(_("deduction: upheld report"), default=0)
    deduct_silence = models.PositiveIntegerField(_("deduction: silence"), default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("programme application rules")
        verbose_name_plural = _("programme application rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(quiz_pass_mark__lte=models.F("quiz_per_day")),
                name="apply_pass_mark_within_quiz",
                violation_error_message=_("The pass mark cannot exceed the questions a day."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["accepting_applications"],
                name="apply_rules_open",
                condition=Q(accepting_applications=True),
            )
        ]

    def __str__(self):
        return f"rules of {self.program_id}"

    @property
    def has_weekly_tasks(self) -> bool:
        return self.weekly_bug_reports_with_log > 0


class ProgramQuestion(models.Model):
    """A question of the programme's application form, answered in free text."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="apply_questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("question"), max_length=300)

    class Meta:
        ordering = ["program", "position", "id"]
        verbose_name = _("application question")
        verbose_name_plural = _("application questions")

    def __str__(self):
        return self.text


class ProgramQuizItem(models.Model):
    """A question in the programme's quiz bank: choices and the index of the right one."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="quiz_items")
    text = models.CharField(_("question"), max_length=300)
    choices = models.JSONField(_("choices"), default=list)
    answer = models.PositiveSmallIntegerField(_("right choice"))

    class Meta:
        ordering = ["program", "id"]
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")

    def __str__(self):
        return self.text


class ApplicationState(models.TextChoices):
    PENDING = "pending", _("Waiting for staff")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")


class ProgramApplication(models.Model):
    """One application: the answers, the quiz as drawn and scored, the criteria as checked.

    The form's answers and the quiz are stored as snapshots (question text, choice,
    right or wrong) so editing the programme later never changes what staff judged.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="applications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_applications"
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ApplicationState.choices,
        default=ApplicationState.PENDING,
    )
    answers = models.JSONField(default=list)  # [{"question": text, "answer": text}]
    quiz_day = models.DateField(_("quiz day"))
    quiz = models.JSONField(default=list)  # [{"item", "question", "chosen", "right"}]
    quiz_correct = models.PositiveSmallIntegerField(default=0)
    quiz_total = models.PositiveSmallIntegerField(default=0)
    quiz_passed = models.BooleanField(default=False)
    criteria = models.JSONField(default=list)  # [{"key", "label", "need", "have", "passed"}]
    criteria_passed = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    automatic = models.BooleanField(_("decided automatically"), default=False)
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)
    membership = models.OneToOneField(
        ProgramMembership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
    )

    class Meta:
        verbose_name = _("programme application")
        verbose_name_plural = _("programme applications")
        constraints = [
            # One application waiting per member and programme ...
            models.UniqueConstraint(
                fields=["program", "user"],
                condition=Q(state=ApplicationState.PENDING),
                name="apply_one_pending",
            ),
            # ... and one attempt a day: the quiz drawn for that day is not retried.
            models.UniqueConstraint(
                fields=["program", "user", "quiz_day"], name="apply_once_a_day"
            ),
        ]
        indexes = [
            # The staff's list by state, newest first (keyset on submitted_at, id).
            models.Index(
                fields=["program", "state", "-submitted_at", "-id"], name="apply_by_state"
            ),
            models.Index(fields=["user", "-submitted_at"], name="apply_of_user"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.program_id}: {self.state}"


class ProgramStanding(models.Model):
    """Where a member stands in a programme: score, missed weeks in a row, last warning.

    `score` is kept with F() next to each ProgramScoreEntry; its repair path is
    accounts.services.program_apply.program_scores_repair (the sum of the entries).
    """

    membership = models.OneToOneField(
        ProgramMembership, primary_key=True, on_delete=models.CASCADE, related_name="standing"
    )
    score = models.IntegerField(_("score"), default=0)
    missed_weeks = models.PositiveSmallIntegerField(_("missed weeks in a row"), default=0)
    warned_at = models.DateTimeField(_("warned"), null=True, blank=True)
    warning_week = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("programme standing")
        verbose_name_plural = _("programme standings")

    def __str__(self):
        return f"{self.membership_id}: {self.score}"


class ProgramWeek(models.Model):
    """The recorded outcome of one week's tasks for one member (written by the weekly job)."""

    membership = models.ForeignKey(
        ProgramMembership, on_delete=models.CASCADE, related_name="weeks"
    )
    week_start = models.DateField(_("week of"))
    bug_reports_with_log = models.PositiveIntegerField(default=0)
    met = models.BooleanField(_("tasks done"), default=False)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-week_start"]
        verbose_name = _("programme week")
        verbose_name_plural = _("programme weeks")
        constraints = [
            models.UniqueConstraint(fields=["membership", "week_start"], name="program_week_once"),
        ]

    def __str__(self):
        return f"{self.membership_id} {self.week_start}: {self.met}"


class ScoreReason(models.TextChoices):
    JOINED = "joined", _("Joined the programme")
    WEEK_DONE = "week_done", _("Weekly tasks done")
    REMOVED_POST = "removed_post", _("A post was removed by a moderator")
    UPHELD_REPORT = "upheld_report", _("A report against a post was upheld")
    SILENCE = "silence", _("Silenced by a moderator")


class ProgramScoreEntry(models.Model):
    """One change of a member's programme score, with what caused it (unique per source)."""

    membership = models.ForeignKey(
        ProgramMembership, on_delete=models.CASCADE, related_name="score_entries"
    )
    reason = models.CharField(max_length=20, choices=ScoreReason.choices)
    delta = models.IntegerField()
    # What caused it ("post:12", "case:4", "silence:<audit>", "week:2026-03-30"): once each.
    source = models.CharField(max_length=80)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("programme score entry")
        verbose_name_plural = _("programme score entries")
        constraints = [
            models.UniqueConstraint(fields=["membership", "source"], name="program_score_once"),
        ]
        indexes = [
            models.Index(fields=["membership", "-created_at", "-id"], name="program_score_history")
        ]

    def __str__(self):
        return f"{self.membership_id} {self.delta:+d} ({self.reason})"
