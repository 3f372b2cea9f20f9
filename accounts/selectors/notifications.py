"""Reads of a member's notifications and how they want to hear of each kind."""

from django.conf import settings
from django.core.paginator import Paginator

from accounts.models import DEFAULT_DELIVERY, Notification, User


def delivery_for(user: User, kind: str) -> str:
    return user.notification_settings.get(kind, DEFAULT_DELIVERY[kind])


def notifications_of(user: User):
    """A member's notifications, latest activity first (the inbox index).

    Rows carry the actor's name and the target's URL and title, so no join is needed.
    """
    return Notification.objects.filter(recipient=user).order_by("-updated_at", "-id")


def notification_page(user: User, *, page: int):
    """One page of a member's notifications: a COUNT and one page query."""
    return Paginator(notifications_of(user), settings.POPCORN["NOTIFICATIONS_PER_PAGE"]).get_page(
        page
    )
