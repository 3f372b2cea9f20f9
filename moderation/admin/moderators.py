from django.contrib import admin

from config.http import client_ip
from forum.models import BoardModerator, SectionModerator
from moderation import services


class ModeratorRoleAdmin(admin.ModelAdmin):
    """Appointing and removing go through moderation.services, so both are audited."""

    raw_id_fields = ["user"]
    scope = ""  # "board" or "section"

    def has_change_permission(self, request, obj=None):
        return False  # appoint or remove; a role has nothing to edit

    def _where(self, obj) -> dict:
        return {self.scope: getattr(obj, self.scope)}

    def save_model(self, request, obj, form, change):
        services.moderator_add(
            user=obj.user, actor=request.user, ip=client_ip(request), **self._where(obj)
        )
        saved = self.model.objects.get(user=obj.user, **self._where(obj))
        obj.pk, obj._state.adding = saved.pk, False

    def delete_model(self, request, obj):
        services.moderator_remove(
            user=obj.user, actor=request.user, ip=client_ip(request), **self._where(obj)
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("user", self.scope):
            self.delete_model(request, obj)


@admin.register(BoardModerator)
class BoardModeratorAdmin(ModeratorRoleAdmin):
    list_display = ["user", "board", "created_at"]
    list_filter = ["board"]
    list_select_related = ["user", "board"]
    scope = "board"


@admin.register(SectionModerator)
class SectionModeratorAdmin(ModeratorRoleAdmin):
    list_display = ["user", "section", "created_at"]
    list_filter = ["section"]
    list_select_related = ["user", "section"]
    scope = "section"
