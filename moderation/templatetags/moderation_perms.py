"""moderation.permissions for templates: `{% load moderation_perms %}`, then
`{% if user|can_see_queues %}`. Templates ask these instead of repeating the
rules (`user.is_staff or user.is_global_moderator`)."""

from django import template

from moderation import permissions

register = template.Library()

for rule in (
    permissions.can_see_queues,
    permissions.can_read_log,
    permissions.can_suspend,
    permissions.can_use_console,
    permissions.can_manage_programs,
    permissions.can_appoint_moderators,
    permissions.can_manage_screening,
    permissions.can_use_admin,
    permissions.can_export_emails,
    permissions.can_sanction_anyone,
    permissions.needs_second_factor,
):
    register.filter(rule.__name__, rule)
