"""Reads for a member's sanction page."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from moderation.models import Warning


def recent_warning_count(member) -> int:
    """Warnings within the automatic-silence window (what the next warning adds to)."""
    window = timedelta(days=settings.POPCORN["WARNINGS_WINDOW_DAYS"])
    return Warning.objects.filter(user=member, created_at__gt=timezone.now() - window).count()
