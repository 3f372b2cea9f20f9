from django.contrib import admin
from django.core.exceptions import PermissionDenied

from moderation.models import AuditLog


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read in the list; nothing can be added, changed or deleted here."""

    list_display = [
        "created_at", "actor_name", "action", "target_type", "target_id", "target_label",
        "board", "reason", "ip",
    ]  # fmt: skip
    list_filter = ["action", "target_type", "board"]
    search_fields = ["actor_name", "target_label", "reason"]
    list_select_related = ["board"]
    list_display_links = None
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        raise PermissionDenied
