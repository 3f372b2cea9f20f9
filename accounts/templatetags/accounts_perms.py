"""Accounts' permission rules for templates: `{% load accounts_perms %}`, then
`{% if user|can_see_ledger:member %}`. The rules themselves are accounts.permissions'."""

from django import template

from accounts import permissions

register = template.Library()


@register.filter
def can_see_ledger(user, member) -> bool:
    return permissions.can_see_ledger(user, member)


@register.filter
def can_edit_profile(user, member) -> bool:
    return permissions.can_edit_profile(user, member)
