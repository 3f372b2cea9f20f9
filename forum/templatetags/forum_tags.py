"""Permission questions asked while rendering a post, answered by forum.permissions."""

from django import template

from forum import permissions

register = template.Library()


@register.filter
def can_edit(post, user) -> bool:
    return permissions.can_edit_post(user, post)


@register.filter
def can_view_revisions(post, user) -> bool:
    return permissions.can_view_revisions(user, post)
