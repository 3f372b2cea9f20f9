"""The member list: keyset pages (no OFFSET, no COUNT), filtered by level and name."""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from accounts.levels import all_levels
from accounts.models import User

MEMBER_SORTS = {
    # key: (field, label); every field has a (field, id) index for keyset paging.
    "reputation": "reputation",
    "posts": "post_count",
    "joined": "date_joined",
}


@dataclass
class MemberPage:
    members: list
    next_cursor: str | None


_INT_MAX = 2**31 - 1


def _cursor(after: str, field: str):
    """(value, pk) from "<value>:<id>", or None for anything a database would choke on."""
    value, _sep, pk = after.rpartition(":")
    try:
        pk = int(pk)
        if field == "date_joined":
            value = datetime.fromisoformat(value)
            if timezone.is_naive(value):
                value = timezone.make_aware(value)
            value = value.astimezone(UTC)  # far-off years overflow here, not in the database
        else:
            value = int(value)
            if abs(value) > _INT_MAX:
                return None
    except (ValueError, OverflowError):
        return None
    return (value, pk) if 0 < pk <= _INT_MAX else None


def members_listed(*, level: str = "", query: str = ""):
    """The members the list shows (active ones, by level and username prefix), with their
    devices; unordered: the caller sorts on a MEMBER_SORTS field, then -id (its index)."""
    members = User.objects.filter(is_active=True).prefetch_related("devices")
    if level:
        members = members.filter(**reputation_range(level))
    query = query.replace("\x00", "").strip()[:150]  # PostgreSQL refuses NUL in text
    if query:
        members = members.filter(username__istartswith=query)
    return members


def member_page(
    *, sort: str = "reputation", level: str = "", query: str = "", after: str = ""
) -> MemberPage:
    """The member list, highest first, paged by keyset (no OFFSET, no COUNT).

    `after` is the last row's "<value>:<id>"; a bad cursor starts from the top.
    """
    field = MEMBER_SORTS.get(sort, "reputation")
    members = members_listed(level=level, query=query)
    cursor = _cursor(after, field) if after else None
    if cursor is not None:
        value, pk = cursor
        members = members.filter(Q(**{f"{field}__lt": value}) | Q(**{field: value, "pk__lt": pk}))
    per_page = settings.POPCORN["MEMBERS_PER_PAGE"]
    rows = list(members.order_by(f"-{field}", "-pk")[: per_page + 1])
    next_cursor = None
    if len(rows) > per_page:
        rows = rows[:per_page]
        last = rows[-1]
        value = getattr(last, field)
        value = value.isoformat() if field == "date_joined" else value
        next_cursor = f"{value}:{last.pk}"
    return MemberPage(members=rows, next_cursor=next_cursor)


def reputation_range(level_key: str) -> dict:
    """Filter kwargs for members whose reputation puts them at this level."""
    levels = all_levels()
    for level in levels:
        if level.key == level_key:
            higher = [other for other in levels if other.rank == level.rank + 1]
            bounds = {"reputation__gte": level.threshold}
            if higher:
                bounds["reputation__lt"] = higher[0].threshold
            return bounds
    return {}
