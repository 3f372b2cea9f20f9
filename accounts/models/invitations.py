from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .users import User


class InvitationCodeQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Codes that can admit one more member right now.

        The same conditions guard the redeeming UPDATE, so the check and the
        claim can never disagree.
        """
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, uses__lt=F("max_uses"))


class InvitationCode(models.Model):
    """A code a member hands out; each sign-up with it takes one of its uses.

    `uses` only ever rises through one conditional UPDATE (accounts.services.invitations),
    and the check constraint backs it: no code admits more than max_uses people.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    creator = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitation_codes",
        verbose_name=_("created by"),
    )
    # Kept so the code's history reads well after its creator is deleted.
    creator_name = models.CharField(_("created by (name)"), max_length=150, blank=True)
    max_uses = models.PositiveIntegerField(_("uses allowed"), default=1)
    uses = models.PositiveIntegerField(_("times used"), default=0)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    sent_to = models.EmailField(_("sent to"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = InvitationCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation code")
        verbose_name_plural = _("invitation codes")
        indexes = [
            # The member's invitations page and the monthly quota read their codes by time.
            models.Index(fields=["creator", "-created_at"], name="invitation_code_by_creator"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_uses__gte=1) & Q(uses__lte=F("max_uses")),
                name="invitation_code_uses_within_max",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def status(self) -> str:
        """One word for lists: revoked, used, expired or open (in that order)."""
        if self.revoked_at is not None:
            return "revoked"
        if self.uses >= self.max_uses:
            return "used"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"

    @property
    def uses_left(self) -> int:
        return max(self.max_uses - self.uses, 0)


class InvitationRedemption(models.Model):
    """Who invited whom: one row per invited member, written with their account.

    `activated_at` is set once, by a conditional UPDATE on the posting path,
    when the invitee has written enough posts soon enough after joining; that
    moment pays the inviter.
    """

    code = models.ForeignKey(
        InvitationCode,
        on_delete=models.PROTECT,
        related_name="redemptions",
        verbose_name=_("code"),
    )
    # The code's creator copied here, so "my invitees" is one index scan.
    inviter = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitees",
        verbose_name=_("inviter"),
    )
    invitee = models.OneToOneField(
        User,
        on_delete=models.CASCADE,
        related_name="invitation",
        verbose_name=_("invited member"),
    )
    created_at = models.DateTimeField(_("joined"), default=timezone.now)
    activated_at = models.DateTimeField(_("became active"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation redemption")
        verbose_name_plural = _("invitation redemptions")
        indexes = [
            models.Index(fields=["inviter", "-created_at"], name="invitation_by_inviter"),
        ]

    def __str__(self):
        return f"{self.inviter_id} invited {self.invitee_id}"
