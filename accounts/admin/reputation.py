"""Admin for the reputation ledger: adjustments are new ledger rows, written by the service."""

import uuid

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import ReputationEntry, ReputationReason, ReputationReconciliation


class AdjustmentForm(forms.ModelForm):
    """Staff adjust a total only by adding a ledger row, so the ledger stays the truth."""

    class Meta:
        model = ReputationEntry
        fields = ["user", "points", "target_title"]
        labels = {"target_title": _("Why")}

    def clean_points(self):
        points = self.cleaned_data["points"]
        if not points:
            raise forms.ValidationError(_("An adjustment must change the total."))
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
        entry = services.reputation_grant(
            user_id=obj.user_id,
            reason=ReputationReason.ADJUSTMENT,
            source=f"adjustment:{uuid.uuid4().hex}",
            points=obj.points,
            title=obj.target_title,  # the staff member's note, as they wrote it
            params={"by": request.user.username},
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
