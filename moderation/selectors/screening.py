"""The watched words and bans as the console and the API list them."""

from django.db.models import QuerySet

from accounts.models import BannedEmailDomain, BannedNetwork, WatchedWord


def watched_words() -> QuerySet[WatchedWord]:
    """Every entry, by action then pattern (the list is short: moderators keep it)."""
    return WatchedWord.objects.order_by("action", "pattern", "pk")


def banned_networks() -> QuerySet[BannedNetwork]:
    """Every range, newest first; expired ones stay until the daily purge."""
    return BannedNetwork.objects.order_by("-created_at", "-pk")


def banned_domains() -> QuerySet[BannedEmailDomain]:
    return BannedEmailDomain.objects.order_by("-created_at", "-pk")
