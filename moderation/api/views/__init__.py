"""The moderation and staff API's operations, one module per stem (actions, queues,
sanctions, audit, moderators, console, exports)."""
