"""Accounts' REST API (members, notifications, reputation, invitations, the member side of
programs): thin views over accounts' services, selectors and permissions; mounted by
config.api under /api/v1/. The staff side of programs is moderation's (moderation.api)."""
