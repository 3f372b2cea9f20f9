"""Calendar days in the site's time zone, for every app's date filters and daily jobs."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def day_start(day: date) -> datetime:
    """Midnight starting `day` in the site time zone, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min))


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of `day` in the site time zone."""
    return day_start(day), day_start(day + timedelta(days=1))
