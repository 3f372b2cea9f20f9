"""The forum's REST API (boards, threads, posts, search): thin views over forum's services,
selectors and permissions; mounted by config.api under /api/v1/."""
