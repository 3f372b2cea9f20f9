"""Admin for medal definitions and cities. Who holds a medal is read-only here: staff award
and take back medals on the member's medals page (moderation), which audits it."""

from django.contrib import admin

from accounts.models import City, Medal, MemberMedal


@admin.register(Medal)
class MedalAdmin(admin.ModelAdmin):
    list_display = ["name", "icon", "rule", "threshold", "is_active", "position"]
    list_editable = ["position", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(MemberMedal)
class MemberMedalAdmin(admin.ModelAdmin):
    list_display = ["medal", "user", "awarded_at", "awarded_by_name", "shown_position"]
    list_filter = ["medal"]
    raw_id_fields = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
