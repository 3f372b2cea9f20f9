import os

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from config.health import health

# `<id:pk>` in the apps' URL modules: an id in the database's range, else a 404
# (config.ids); registered by config.apps when Django starts.

urlpatterns = [
    # For the load balancer and compose: database, cache, broker, storage (config.health).
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    # Sign-up with invitation codes; before allauth's own route at the same path.
    path("accounts/signup/", include("accounts.urls.signup")),
    path("accounts/", include("allauth.urls")),
    # Apps: allauth headless (sign-up with invitation codes first), then the REST API.
    path("_allauth/", include("accounts.urls.headless")),
    path("_allauth/", include("allauth.headless.urls")),
    path("api/v1/", include("config.api")),
    # /mod/ (moderators and staff) and reporting a post (every member).
    path("", include("moderation.urls")),
    path("", include("accounts.urls")),
    path("", include("forum.urls")),
]

# A refusal says why, on a page or in the page's message area for htmx (config.http).
handler403 = "config.http.permission_denied"
# The database away (a restart, a failover): a 503 with Retry-After, else the 500 page.
handler500 = "config.errors_pages.server_error"

if settings.DEBUG:
    # Avatars only: attachments go out through forum:attachment, after the permission check.
    urlpatterns += static(
        f"{settings.MEDIA_URL}avatars/", document_root=os.path.join(settings.MEDIA_ROOT, "avatars")
    )
