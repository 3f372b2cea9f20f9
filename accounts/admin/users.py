"""Admin for members and the device catalogue."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Device, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "display_name", "post_count", "date_joined", "is_staff"]
    list_filter = [*BaseUserAdmin.list_filter, "is_global_moderator"]
    readonly_fields = [
        "post_count",
        "thread_count",
        "reputation",
        "check_in_streak",
        "best_check_in_streak",
        "last_check_in",
        # Granted and revoked on /mod/moderators/, through an audited service.
        "is_global_moderator",
    ]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Forum"),
            {
                "fields": [
                    "display_name",
                    "avatar",
                    "signature",
                    "devices",
                    "post_count",
                    "thread_count",
                    "reputation",
                    "check_in_streak",
                    "best_check_in_streak",
                    "last_check_in",
                    "is_global_moderator",
                ]
            },
        ),
    )
    filter_horizontal = ["groups", "user_permissions", "devices"]


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["brand", "model", "codename", "position"]
    search_fields = ["brand", "model", "codename"]
