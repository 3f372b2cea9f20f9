"""Hand-made data for early-access program tests: programs and activity with known answers.

Staff-side steps (create, update, invite, remove) go through moderation's checked,
audited verbs, as on the site; `actor=None` means "some staff member".
"""

from datetime import date, timedelta

from django.utils import timezone

from accounts.models import Program, User
from moderation import services as moderation_services
from tests.factories import StaffFactory, UserFactory, bulk_activity

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
    return moderation_services.program_create(actor=programme_staff(), devices=devices, **fields)


def programme_staff() -> User:
    """The staff member who runs the programs of a test (made on first use)."""
    staff = User.objects.filter(username="programme_staff").first()
    return staff or StaffFactory(username="programme_staff")


def invite(*, program, user, actor=None):
    return moderation_services.program_invite(
        program=program, user=user, actor=actor or programme_staff()
    )


def invite_candidates(*, program, actor=None, user_ids=None):
    return moderation_services.program_invite_candidates(
        program=program, actor=actor or programme_staff(), user_ids=user_ids
    )


def remove(*, membership, actor=None, reason=""):
    return moderation_services.program_remove(
        membership=membership, actor=actor or programme_staff(), reason=reason
    )


def update(*, program, actor=None, **fields):
    return moderation_services.program_update(
        program=program, actor=actor or programme_staff(), **fields
    )


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
