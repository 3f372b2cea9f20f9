"""Admin for invitations: read-mostly history; the one write is revoking, through the service."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import services
from accounts.models import InvitationCode, InvitationRedemption


@admin.register(InvitationCode)
class InvitationCodeAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "creator_name",
        "uses",
        "max_uses",
        "expires_at",
        "revoked_at",
        "sent_to",
        "created_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["=code", "creator_name", "sent_to"]
    date_hierarchy = "created_at"
    list_select_related = False
    readonly_fields = [field.name for field in InvitationCode._meta.fields]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # codes are made on the member's page, within the quota

    def has_delete_permission(self, request, obj=None):
        return False  # history of who invited whom; revoke instead

    @admin.action(description=_("Revoke selected codes"))
    def revoke(self, request, queryset):
        revoked = services.invitation_revoke_many(
            code_ids=queryset.values("pk"), actor=request.user
        )
        self.message_user(
            request,
            ngettext("%d code revoked.", "%d codes revoked.", revoked) % revoked,
            messages.SUCCESS,
        )


@admin.register(InvitationRedemption)
class InvitationRedemptionAdmin(admin.ModelAdmin):
    list_display = ["invitee", "inviter", "code", "created_at", "activated_at"]
    list_filter = [("activated_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["invitee__username", "inviter__username", "=code__code"]
    list_select_related = ["invitee", "inviter", "code"]
    raw_id_fields = ["invitee", "inviter", "code"]
    readonly_fields = ["code", "inviter", "invitee", "created_at", "activated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
