"""A settable clock for the demo builder: 90 days of history written in seconds.

Every service stamps its rows with django.utils.timezone.now() (directly, or
through auto_now_add and default=timezone.now). Inside demo_clock() that
function returns the builder's simulated moment instead, so a reply "posted on
day 12" is dated day 12 by the real write path, and so are the reputation
entries, activity rows, audit rows and notifications it causes.

Only the builder uses it, and only inside the `with` block: on the way out the
real clock is back, and the model fields' cached defaults are reset.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.apps import apps
from django.utils import timezone


class DemoClock:
    def __init__(self, moment: datetime):
        self.moment = moment

    def now(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        self.moment = moment

    def advance(self, **delta: float) -> datetime:
        self.moment += timedelta(**delta)
        return self.moment


def _fields_defaulting_to(function) -> list:
    return [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.default is function
    ]


@contextmanager
def demo_clock(moment: datetime) -> Iterator[DemoClock]:
    """Make timezone.now() (and every default=timezone.now) read `clock.moment`."""
    clock = DemoClock(moment)
    real_now = timezone.now
    fields = _fields_defaulting_to(real_now)
    timezone.now = clock.now
    for field in fields:
        field.default = clock.now
        field.__dict__.pop("_get_default", None)  # a cached_property of Field
    try:
        yield clock
    finally:
        timezone.now = real_now
        for field in fields:
            field.default = real_now
            field.__dict__.pop("_get_default", None)
