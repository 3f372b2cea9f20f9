"""Middleware every page passes through before any app sees the request."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404

FORMS = {"application/x-www-form-urlencoded", "multipart/form-data"}
HEADLESS_PREFIX = "/_allauth/"


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())


class RefuseNulMiddleware:
    """A NUL byte in the query string or a form is a 400; in the path, a 404.

    No text a person types holds one, and PostgreSQL refuses to store or
    compare text that does (a 500 deep in a view); so it stops here, before
    any lookup. No page has such an address. JSON bodies are the API's to validate.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404("NUL byte in the path")
        if _has_nul(request.GET):
            raise BadRequest("NUL byte in the query string")
        if request.content_type in FORMS and self._form_has_nul(request):
            raise BadRequest("NUL byte in the form")
        return self.get_response(request)

    @staticmethod
    def _form_has_nul(request) -> bool:
        if request.content_type == "application/x-www-form-urlencoded":
            # Read the body first: Django keeps it, so a view that reads request.body
            # after us (allauth's headless API parses its own input) still can.
            request.body  # noqa: B018
            return _has_nul(request.POST)
        if request.path.startswith(HEADLESS_PREFIX):
            # allauth's headless API reads the raw body (JSON), which a parsed multipart
            # stream no longer has; it refuses a form body itself.
            return False
        return _has_nul(request.POST)


class PermissionsPolicyMiddleware:
    """The Permissions-Policy header (settings.PERMISSIONS_POLICY) on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
