import uuid

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Device, ReputationEntry, ReputationReason, ReputationReconciliation, User
from .reputation import reputation_grant


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
            "Forum",
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


class AdjustmentForm(forms.ModelForm):
    """Staff adjust a total only by adding a ledger row, so the ledger stays the truth."""

    class Meta:
        model = ReputationEntry
        fields = ["user", "points", "target_title"]
        labels = {"target_title": "Why"}

    def clean_points(self):
        points = self.cleaned_data["points"]
        if not points:
            raise forms.ValidationError("An adjustment must change the total.")
        return points


@admin.register(ReputationEntry)
class ReputationEntryAdmin(admin.ModelAdmin):
    form = AdjustmentForm
    list_display = ["user", "points", "reason", "target_title", "target_floor", "created_at"]
    list_filter = ["reason"]
    search_fields = ["user__username", "source"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        entry = reputation_grant(
            user_id=obj.user_id,
            reason=ReputationReason.ADJUSTMENT,
            source=f"adjustment:{uuid.uuid4().hex}",
            points=obj.points,
            title=obj.target_title or f"by {request.user.username}",
        )
        obj.pk = entry.pk


@admin.register(ReputationReconciliation)
class ReputationReconciliationAdmin(admin.ModelAdmin):
    list_display = ["ran_at", "users_repaired", "duration_ms"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


from . import admin_invitations  # noqa: E402, F401 - registers the invitation models
