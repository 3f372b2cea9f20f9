"""The REST API v1: /api/v1/<resource>/…, its schema and its docs.

Each app's api/urls.py is included by string, so config (the lowest layer) imports no
app. New resources go in their app's api/ package (serializers.py, views.py, urls.py)
and are documented with config.api_schema.api_doc.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

import config.api_schema  # noqa: F401  (registers the session token's security scheme)

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include("forum.api.urls")),
    path("", include("moderation.api.urls")),
]
