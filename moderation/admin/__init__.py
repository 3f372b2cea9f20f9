from moderation.admin import moderators  # noqa: F401 - registers the model admins
