"""A meetup made the only way meetups are made: through forum.services.event_create."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import City
from forum import services
from forum.models import ThreadType
from tests.factories import BoardFactory, StaffFactory


def make_event(*, board=None, organiser=None, capacity=2, waitlist=1, questions=(), **kw):
    now = timezone.now()
    board = board or BoardFactory(default_thread_type=ThreadType.EVENT)
    starts = kw.pop("starts_at", now + timedelta(days=3))
    return services.event_create(
        board=board,
        organiser=organiser or StaffFactory(),
        title=kw.pop("title", "爆米花 上海站"),
        body=kw.pop("body", "Come and meet the team."),
        city=kw.pop("city", None) or shanghai(),
        starts_at=starts,
        ends_at=kw.pop("ends_at", starts + timedelta(hours=3)),
        place=kw.pop("place", "徐汇区 漕溪北路 1 号"),
        capacity=capacity,
        waitlist_capacity=waitlist,
        signup_deadline=kw.pop("signup_deadline", starts - timedelta(hours=2)),
        questions=list(questions),
    )


NAMES = {"shanghai": "上海", "beijing": "北京", "chengdu": "成都", "shenzhen": "深圳"}


def city(slug: str) -> City:
    # Seeded by the migration; a transactional test's flush (PostgreSQL) takes seeds away.
    return City.objects.get_or_create(slug=slug, defaults={"name": NAMES.get(slug, slug)})[0]


def shanghai() -> City:
    return city("shanghai")
