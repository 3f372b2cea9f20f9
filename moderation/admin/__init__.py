"""Moderation in the Django admin: the audit log (read-only), moderator roles, and the
watched words and bans (read-only)."""

from moderation.admin import audit, moderators, screening  # noqa: F401 - registers the model admins
