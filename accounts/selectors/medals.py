"""Medals and cities as pages and posts show them, in a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from accounts.models import City, Medal, MemberMedal


def medals_listed() -> QuerySet[Medal]:
    return Medal.objects.order_by("position", "id")


def medals_of(user) -> list[MemberMedal]:
    """Every medal a member holds, shown ones first in their places (one query)."""
    return list(
        MemberMedal.objects.filter(user=user)
        .select_related("medal")
        .order_by("shown_position", "medal__position", "medal_id")
    )


def shown_medals_prefetch(path: str) -> Prefetch:
    """Prefetch the shown medals of the members at `path` ("author") into `shown_medals`:
    one query for a page of posts, however many posts and authors."""
    return Prefetch(
        f"{path}__medals",
        queryset=MemberMedal.objects.filter(shown_position__isnull=False)
        .select_related("medal")
        .order_by("shown_position"),
        to_attr="shown_medals",
    )


def cities_listed() -> QuerySet[City]:
    return City.objects.order_by("position", "id")
