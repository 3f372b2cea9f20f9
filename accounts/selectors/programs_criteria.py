"""Who meets an early-access program's criteria: one set-based query per program.

The flagging job stores its answer as candidates; the weekly re-qualification
asks the same query about members. Only accounts' own tables are read: the
user row (reputation, join date, suspension), the devices owned and one
DailyActivity row per user per active day.
"""

import contextlib
from datetime import date, timedelta

from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.levels import level_by_key, level_for
from accounts.models import Program, User

WINDOW_DAYS = 30


def window(today: date) -> tuple[date, date]:
    """The last 30 days ending with `today` (site time zone), both ends included."""
    return today - timedelta(days=WINDOW_DAYS - 1), today


def min_reputation(program: Program) -> int:
    """The stricter of the reputation and level criteria, as a reputation floor."""
    floor = program.min_reputation
    if program.min_level:
        # A level removed from settings since: the reputation floor stands.
        with contextlib.suppress(KeyError):
            floor = max(floor, level_by_key(program.min_level).threshold)
    return floor


def qualifying_users(program: Program, *, today: date | None = None, among=None) -> QuerySet:
    """Users meeting every criterion, as rows of (pk, days_active, posts, reputation, score).

    User filters come first so the activity join only touches users who could
    qualify; activity is counted with a LEFT JOIN so programs without activity
    criteria still see users with no activity rows. Usable as a subquery
    (`.values("pk")`). `among` (user ids, e.g. a subquery of members) limits
    the question to those users, so asking about a program's few members does
    not aggregate everyone's activity.
    """
    now = timezone.now()
    today = today or timezone.localdate()
    first_day, last_day = window(today)
    users = User.objects.filter(is_active=True)
    if among is not None:
        users = users.filter(pk__in=among)
    floor = min_reputation(program)
    if floor:
        users = users.filter(reputation__gte=floor)
    if program.min_account_age_days:
        users = users.filter(date_joined__lte=now - timedelta(days=program.min_account_age_days))
    if program.exclude_suspended:
        users = users.filter(Q(suspended_until__isnull=True) | Q(suspended_until__lte=now))
    if program.requires_device:
        owned = User.devices.through.objects.filter(
            user_id=OuterRef("pk"),
            device_id__in=Program.devices.through.objects.filter(program_id=program.pk).values(
                "device_id"
            ),
        )
        users = users.filter(Exists(owned))
    # The window goes in the JOIN's ON clause, so older history is never read.
    users = users.annotate(
        recent=FilteredRelation(
            "daily_activity",
            condition=Q(daily_activity__day__gte=first_day, daily_activity__day__lte=last_day),
        )
    )
    users = users.values("pk").annotate(
        # A row made only by a like received is not a day the member came by.
        days_active=Count("recent", filter=Q(recent__visited=True)),
        posts=Coalesce(Sum("recent__posts"), Value(0)),
    )
    if program.min_days_active_30d:
        users = users.filter(days_active__gte=program.min_days_active_30d)
    if program.min_posts_30d:
        users = users.filter(posts__gte=program.min_posts_30d)
    return users.annotate(
        # Steady presence first, then output, then standing: a day active is
        # worth 10, a post 2, every 100 reputation 1.
        score=F("days_active") * 10 + F("posts") * 2 + F("reputation") / 100,
    ).values_list("pk", "days_active", "posts", "reputation", "score")


def reasons(
    program: Program, *, days_active: int, posts: int, reputation: int, date_joined=None
) -> str:
    """Why someone qualifies, for people: "days active 27/30, 41 posts, level Core"."""
    parts = [
        _("days active %(days)d/%(window)d") % {"days": days_active, "window": WINDOW_DAYS},
        ngettext("%(n)d post", "%(n)d posts", posts) % {"n": posts},
        _("level %(level)s") % {"level": level_for(reputation).name},
    ]
    if program.min_reputation:
        parts.append(_("reputation %(n)d") % {"n": reputation})
    if program.requires_device:
        parts.append(_("owns the device"))
    if program.min_account_age_days and date_joined is not None:
        days = (timezone.now() - date_joined).days
        parts.append(ngettext("member for %(n)d day", "member for %(n)d days", days) % {"n": days})
    return ", ".join(parts)
