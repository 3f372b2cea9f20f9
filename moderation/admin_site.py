"""The Django admin's site: staff, in a session that passed a second factor.

A module of its own, outside moderation.admin: Django builds the site while that
package registers its model admins into it.
"""

from django.contrib import admin

from moderation.permissions import can_use_admin


class PopcornAdminSite(admin.AdminSite):
    def has_permission(self, request):
        # Django asks is_active and is_staff; the header's rule adds the second factor.
        return super().has_permission(request) and can_use_admin(request.user)
