"""Reads of the reputation ledger: fixed query counts for its pages."""

from django.conf import settings
from django.core.paginator import Paginator

from accounts.models import ReputationEntry, User


def ledger_entries(user: User):
    """A member's reputation ledger, newest first (the ledger index)."""
    return ReputationEntry.objects.filter(user=user).order_by("-created_at", "-id")


def ledger_page(user: User, *, page: int):
    """One page of a member's reputation ledger: a COUNT and one page query."""
    return Paginator(ledger_entries(user), settings.POPCORN["LEDGER_PER_PAGE"]).get_page(page)
