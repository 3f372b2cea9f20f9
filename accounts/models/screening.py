"""What moderators keep out: watched words, banned address ranges and email domains.

The rows live here, below forum and moderation, because posting (forum), profiles and
sign-up (accounts) all check them; moderation's console is their only writer
(accounts.services._screening_unchecked, reached only by moderation's audited verbs).
The check (accounts.services.screening) reads a compiled copy from the cache.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WatchedWordKind(models.TextChoices):
    WORD = "word", _("Word")
    WILDCARD = "wildcard", _("Wildcard pattern")
    REGEX = "regex", _("Regular expression")


class WatchedWordAction(models.TextChoices):
    BLOCK = "block", _("Block the post")
    REPLACE = "replace", _("Replace with ***")
    APPROVE = "approve", _("Require approval")
    FLAG = "flag", _("Flag for review")


class WatchedWord(models.Model):
    """One word or pattern and what its presence does.

    A word or wildcard is kept normalised (NFKC, casefolded: full-width letters and
    capitals match their plain forms) so the unique constraint sees "ＡＢＣ" and "abc"
    as one entry.
    """

    pattern = models.CharField(_("word or pattern"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=10, choices=WatchedWordKind.choices, default=WatchedWordKind.WORD
    )
    action = models.CharField(_("action"), max_length=10, choices=WatchedWordAction.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("watched word")
        verbose_name_plural = _("watched words")
        constraints = [
            models.UniqueConstraint(fields=["kind", "pattern"], name="watchedword_unique"),
        ]

    def __str__(self):
        return f"{self.pattern} ({self.action})"


class BanQuerySet(models.QuerySet):
    def in_force(self, now=None):
        """Bans that still apply: no expiry, or one still ahead."""
        now = now or timezone.now()
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class _Ban(models.Model):
    reason = models.CharField(_("reason"), max_length=500)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = BanQuerySet.as_manager()

    class Meta:
        abstract = True


class BannedNetwork(_Ban):
    """An IPv4 or IPv6 range (CIDR, a single address is a /32 or /128), kept in its
    canonical text form; containment is checked in Python from the cached list."""

    network = models.CharField(_("address range"), max_length=49, unique=True)

    class Meta:
        verbose_name = _("banned address range")
        verbose_name_plural = _("banned address ranges")
        indexes = [models.Index(fields=["expires_at"], name="bannednetwork_expires")]

    def __str__(self):
        return self.network


class BannedEmailDomain(_Ban):
    """An email domain refused at sign-up, with all of its subdomains."""

    domain = models.CharField(_("email domain"), max_length=253, unique=True)

    class Meta:
        verbose_name = _("banned email domain")
        verbose_name_plural = _("banned email domains")
        indexes = [models.Index(fields=["expires_at"], name="bannedemaildomain_expires")]

    def __str__(self):
        return self.domain
