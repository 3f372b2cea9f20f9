"""Reads of accounts' tables that need care: fixed query counts for list pages."""

from django.conf import settings
from django.core.paginator import Paginator

from .models import Notification, User


def notification_page(user: User, *, page: int):
    """One page of a member's notifications, latest activity first: a COUNT and one page query.

    Rows carry the actor's name and the target's URL and title, so no join is needed.
    """
    notifications = Notification.objects.filter(recipient=user).order_by("-updated_at", "-id")
    return Paginator(notifications, settings.POPCORN["NOTIFICATIONS_PER_PAGE"]).get_page(page)
