"""Moderation's REST API (moderation and staff): thin views over moderation's services,
selectors and permissions; mounted by config.api under /api/v1/."""
