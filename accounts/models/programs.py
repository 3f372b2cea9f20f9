"""Early-access programs: closed betas that staff fill with the forum's core users.

Accounts owns them because the daily jobs that flag candidates and
re-qualify members read only accounts' tables (users, devices, activity).
Forum hangs a private board on a program (Board.program); accounts never
needs to know about it.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .users import Device

# The fields staff set on a program (its form, its audit snapshot, the service's arguments).
PROGRAM_FIELDS = (
    "name",
    "slug",
    "description",
    "seats",
    "starts_at",
    "ends_at",
    "status",
    "min_reputation",
    "min_level",
    "min_days_active_30d",
    "min_posts_30d",
    "requires_device",
    "min_account_age_days",
    "exclude_suspended",
    "requalify_weekly",
)


class Program(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft: not flagging, not inviting")
        OPEN = "open", _("Open: flagging candidates and inviting")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    devices = models.ManyToManyField(
        Device, verbose_name=_("devices"), blank=True, related_name="programs"
    )
    seats = models.PositiveIntegerField(_("seats"))
    # Kept by accounts.services.programs with conditional UPDATEs in the transaction that
    # accepts, frees or removes a seat; the check constraint is the last word.
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0)
    starts_at = models.DateTimeField(_("starts"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )

    # Who qualifies as a candidate (every criterion left at 0/off is not applied).
    min_reputation = models.PositiveIntegerField(_("minimum reputation"), default=0)
    min_level = models.CharField(_("minimum level"), max_length=30, blank=True)
    min_days_active_30d = models.PositiveSmallIntegerField(
        _("minimum days active in the last 30"), default=0
    )
    min_posts_30d = models.PositiveIntegerField(_("minimum posts in the last 30 days"), default=0)
    requires_device = models.BooleanField(_("must own one of the devices"), default=False)
    min_account_age_days = models.PositiveIntegerField(_("minimum account age (days)"), default=0)
    exclude_suspended = models.BooleanField(_("not suspended"), default=True)
    requalify_weekly = models.BooleanField(
        _("re-qualify members weekly"),
        default=False,
        help_text=_(
            "Members who no longer meet the criteria are warned, and removed a week later "
            "if they still don't."
        ),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # When the flagging job last refreshed this program's candidates.
    flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("early-access program")
        verbose_name_plural = _("early-access programs")
        constraints = [
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("seats")),
                name="program_seats_not_overfilled",
                violation_error_message=_("There cannot be fewer seats than members."),
            ),
        ]
        indexes = [models.Index(fields=["status"], name="program_by_status")]

    def __str__(self):
        return self.name

    @property
    def seats_left(self) -> int:
        return max(0, self.seats - self.seats_taken)

    @property
    def has_ended(self) -> bool:
        return self.ends_at is not None and self.ends_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        """Flagging, inviting and accepting happen only while this holds."""
        return self.status == self.Status.OPEN and not self.has_ended


class MembershipState(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Member")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    LEFT = "left", _("Left")
    REMOVED = "removed", _("Removed")


# A pending invitation or a membership: at most one per (program, user).
LIVE_STATES = (MembershipState.INVITED, MembershipState.ACCEPTED)


class ProgramMembership(models.Model):
    """One invitation to a program and, once accepted, the membership it became.

    Rows are never deleted: a declined, expired, left or removed row stays as
    history, and a new invitation is a new row. A pending invitation past
    expires_at reads as expired at once (`effective_state`); a periodic task
    later writes the state so lists and counts need no clock arithmetic.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_memberships"
    )
    code = models.CharField(_("code"), max_length=32, unique=True)
    state = models.CharField(
        _("state"), max_length=10, choices=MembershipState.choices, default=MembershipState.INVITED
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    # After leaving or being removed: no new invitation to this program before then.
    cooling_off_until = models.DateTimeField(_("no new invitation before"), null=True, blank=True)
    end_reason = models.CharField(_("reason"), max_length=500, blank=True)
    # Weekly re-qualification: when the member was told they no longer qualify.
    warned_at = models.DateTimeField(_("warned"), null=True, blank=True)

    class Meta:
        verbose_name = _("program membership")
        verbose_name_plural = _("program memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user"],
                condition=Q(state__in=LIVE_STATES),
                name="program_one_live_membership",
            ),
        ]
        indexes = [
            # The program page's tabs and counts; the re-qualification job.
            models.Index(fields=["program", "state", "-invited_at"], name="membership_by_state"),
            # "My early-access invitations" and the private-board check.
            models.Index(fields=["user", "state"], name="membership_of_user"),
            # The expiry tidy-up.
            models.Index(
                fields=["expires_at"],
                condition=Q(state=MembershipState.INVITED),
                name="membership_pending_expiry",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} in {self.program_id}: {self.state}"

    @property
    def effective_state(self) -> str:
        if self.state == MembershipState.INVITED and self.expires_at <= timezone.now():
            return MembershipState.EXPIRED
        return self.state

    def get_effective_state_display(self) -> str:
        return MembershipState(self.effective_state).label


class ProgramCandidate(models.Model):
    """A user the flagging job found meeting a program's criteria, with the numbers why.

    Replaced as a set by the job each day; the human reasons are built from
    the stored numbers when shown (accounts.selectors.programs_criteria.reasons).
    """

    # No index of its own: the (program, user) unique index leads with it, and
    # the job rewrites many rows a day, each index entry a cost.
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="candidates", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_candidacies"
    )
    score = models.IntegerField(_("score"), default=0)
    days_active_30d = models.PositiveSmallIntegerField(_("days active (30d)"), default=0)
    posts_30d = models.PositiveIntegerField(_("posts (30d)"), default=0)
    reputation = models.IntegerField(_("reputation"), default=0)
    # First flagged (kept across runs) and last confirmed by the job.
    flagged_at = models.DateTimeField(_("flagged"), default=timezone.now)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("program candidate")
        verbose_name_plural = _("program candidates")
        constraints = [
            models.UniqueConstraint(fields=["program", "user"], name="program_candidate_once"),
        ]
        indexes = [
            models.Index(fields=["program", "-score", "user"], name="candidate_by_score"),
        ]

    def __str__(self):
        return f"{self.user_id} for {self.program_id} ({self.score})"
