"""django.contrib.admin, on a site that asks moderation's rules (a second factor too)."""

from django.contrib.admin.apps import AdminConfig


class PopcornAdminConfig(AdminConfig):
    default_site = "moderation.admin_site.PopcornAdminSite"
