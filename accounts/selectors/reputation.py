"""Reads of the reputation ledger: fixed query counts for its pages."""

from django.conf import settings
from django.core.paginator import Paginator

from accounts.models import ReputationEntry, User


def ledger_page(user: User, *, page: int):
    """One page of a member's reputation ledger, newest first: a COUNT and one page query."""
    entries = ReputationEntry.objects.filter(user=user).order_by("-created_at", "-id")
    return Paginator(entries, settings.POPCORN["LEDGER_PER_PAGE"]).get_page(page)
