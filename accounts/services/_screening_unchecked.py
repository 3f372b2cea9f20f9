"""Writing the watched words and bans, unchecked and unaudited: only moderation's verbs
(moderation.services.screening) reach this, each with its permission check and audit row
in the same transaction (an import contract in pyproject.toml holds that)."""

import ipaddress
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import BannedEmailDomain, BannedNetwork, User, WatchedWord, WatchedWordAction
from accounts.services.screening import pattern_clean, screening_changed

DOMAIN_MAX_LENGTH = 253


def _changed() -> None:
    transaction.on_commit(screening_changed, robust=True)


def _action(action: str) -> str:
    if action not in WatchedWordAction.values:
        raise ValidationError({"action": [_("Choose a valid action.")]})
    return action


def _saved(row, message_field: str, message: str):
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ValidationError({message_field: [message]}) from None
    _changed()
    return row


def watched_word_save(
    *,
    word: WatchedWord | None,
    pattern: str,
    kind: str,
    action: str,
    actor: User | None,
    note: str = "",
) -> WatchedWord:
    """Create (word None) or change an entry; field errors for a bad or repeated pattern."""
    pattern = pattern_clean(pattern, kind)
    action = _action(action)
    if word is None:
        word = WatchedWord(created_by=actor, created_by_name=actor.username if actor else "")
    word.pattern, word.kind, word.action = pattern, kind, action
    word.note = " ".join((note or "").split())[:200]
    word.updated_at = timezone.now()
    return _saved(word, "pattern", _("This word or pattern is already on the list."))


def watched_word_delete(*, word: WatchedWord) -> None:
    WatchedWord.objects.filter(pk=word.pk).delete()
    _changed()


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": [_("Say why, for the log and for who is refused.")]})
    return reason[:500]


def _expiry(expires_at: datetime | None) -> datetime | None:
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": [_("Choose a moment in the future.")]})
    return expires_at


def network_clean(network: str) -> str:
    """A CIDR range (or one address) in canonical form, or a ValidationError."""
    try:
        parsed = ipaddress.ip_network((network or "").strip(), strict=False)
    except ValueError:
        raise ValidationError(
            {"network": [_("Enter an IPv4 or IPv6 address or range, such as 203.0.113.0/24.")]}
        ) from None
    if parsed.prefixlen < (8 if parsed.version == 4 else 16):
        raise ValidationError({"network": [_("This range is too wide to ban.")]})
    return str(parsed)


def domain_clean(domain: str) -> str:
    domain = (domain or "").strip().lstrip("@").rstrip(".").lower()
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        domain = ""
    labels = domain.split(".")
    if (
        len(domain) > DOMAIN_MAX_LENGTH
        or len(labels) < 2
        or not all(label and len(label) <= 63 for label in labels)
        or not all(char.isalnum() or char in "-." for char in domain)
    ):
        raise ValidationError({"domain": [_("Enter a domain name, such as example.com.")]})
    return domain


def banned_network_save(
    *,
    ban: BannedNetwork | None,
    network: str,
    reason: str,
    expires_at: datetime | None,
    actor: User | None,
) -> BannedNetwork:
    network, reason, expires_at = network_clean(network), _reason(reason), _expiry(expires_at)
    if ban is None:
        ban = BannedNetwork(created_by=actor, created_by_name=actor.username if actor else "")
    ban.network, ban.reason, ban.expires_at = network, reason, expires_at
    return _saved(ban, "network", _("This range is banned already."))


def banned_domain_save(
    *,
    ban: BannedEmailDomain | None,
    domain: str,
    reason: str,
    expires_at: datetime | None,
    actor: User | None,
) -> BannedEmailDomain:
    domain, reason, expires_at = domain_clean(domain), _reason(reason), _expiry(expires_at)
    if ban is None:
        ban = BannedEmailDomain(created_by=actor, created_by_name=actor.username if actor else "")
    ban.domain, ban.reason, ban.expires_at = domain, reason, expires_at
    return _saved(ban, "domain", _("This domain is banned already."))


def ban_delete(*, ban: BannedNetwork | BannedEmailDomain) -> None:
    type(ban).objects.filter(pk=ban.pk).delete()
    _changed()


def bans_purge_expired(*, older_than: datetime) -> int:
    """Delete bans that expired before `older_than` (they stopped applying already)."""
    removed = 0
    for model in (BannedNetwork, BannedEmailDomain):
        removed += model.objects.filter(expires_at__lt=older_than).delete()[0]
    if removed:
        _changed()
    return removed
