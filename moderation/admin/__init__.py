"""Moderation in the Django admin: the audit log (read-only) and moderator roles."""

from moderation.admin import audit, moderators  # noqa: F401 - registers the model admins
