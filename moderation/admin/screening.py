"""Watched words and bans in the admin, read-only: they are kept on the console's pages
(moderation.views.screening), whose every change is audited and refreshes the cached
lists at once; an admin edit would do neither."""

from django.contrib import admin

from accounts.models import BannedEmailDomain, BannedNetwork, WatchedWord


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WatchedWord)
class WatchedWordAdmin(_ReadOnly):
    list_display = ["pattern", "kind", "action", "note", "created_by_name", "updated_at"]
    list_filter = ["action", "kind"]
    search_fields = ["pattern", "note"]


@admin.register(BannedNetwork)
class BannedNetworkAdmin(_ReadOnly):
    list_display = ["network", "reason", "expires_at", "created_by_name", "created_at"]
    search_fields = ["network", "reason"]


@admin.register(BannedEmailDomain)
class BannedEmailDomainAdmin(_ReadOnly):
    list_display = ["domain", "reason", "expires_at", "created_by_name", "created_at"]
    search_fields = ["domain", "reason"]
