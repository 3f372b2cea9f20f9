"""Permission questions asked while rendering a post, answered by forum.permissions."""

from django import template

from config import regions
from forum import permissions
from forum.services import SLOW_MODE_CHOICES, wait_text

register = template.Library()


@register.filter
def can_edit(post, user) -> bool:
    return permissions.can_edit_post(user, post)


@register.filter
def offers_like(post, user) -> bool:
    return permissions.offers_like(user, post)


@register.filter
def offers_vote(thread, user) -> bool:
    return permissions.offers_vote(user, thread)


@register.filter
def is_own_hidden(content, user) -> bool:
    return permissions.can_view_own_hidden(user, content)


@register.filter
def can_view_revisions(post, user) -> bool:
    return permissions.can_view_revisions(user, post)


@register.filter
def slow_mode_interval(seconds: int) -> str:
    return wait_text(seconds)


@register.simple_tag
def slow_mode_choices():
    return SLOW_MODE_CHOICES


@register.filter
def moderates_anywhere(user) -> bool:
    return bool(permissions.moderation_reach(user))


@register.filter
def ip_region(code: str) -> str:
    """A stored IP location in the reader's language ("" when off or unknown)."""
    return regions.shown(code)


@register.filter
def ip_region_text(code: str) -> str:
    """ "IP属地：广东" under a post ("" when off or unknown)."""
    return regions.shown_text(code)
