"""Hand-made data for early-access program tests: programs and activity with known answers."""

from datetime import date, timedelta

from django.utils import timezone

from accounts import programs
from accounts.models import Program
from tests.factories import UserFactory, bulk_activity

TODAY = date(2026, 3, 31)


def make_program(**overrides) -> Program:
    fields = {
        "name": "Xiaomi 14 closed beta 15.0",
        "slug": f"x14-beta-{Program.objects.count() + 1}",
        "description": "Try HyperOS 15.0 before everyone else.",
        "seats": 10,
        "status": Program.Status.OPEN,
        "starts_at": timezone.now() - timedelta(days=1),
        "ends_at": None,
    }
    devices = overrides.pop("devices", ())
    fields.update(overrides)
    return programs.program_create(created_by=None, devices=devices, **fields)


def active(user, *, days: int, posts_per_day: int = 0, today: date = TODAY, offset: int = 0):
    """`days` activity rows for `user`, ending `offset` days before `today`."""
    bulk_activity(
        user, last_day=today - timedelta(days=offset), days=days, posts=posts_per_day, visited=True
    )


def fan(*, reputation: int = 0, joined_days_ago: int = 365, **kwargs):
    return UserFactory(
        reputation=reputation,
        date_joined=timezone.now() - timedelta(days=joined_days_ago),
        **kwargs,
    )
