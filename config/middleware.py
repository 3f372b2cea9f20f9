"""Middleware every page passes through before any app sees the request."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _

from config.api_errors import error_body
from config.db_router import reads_from_primary, reset_reads
from config.http import client_ip, serving_address

FORMS = {"application/x-www-form-urlencoded", "multipart/form-data"}
HEADLESS_PREFIX = "/_allauth/"
API_PREFIX = "/api/"


def _nul_keys(data) -> list[str]:
    return [
        key for key, values in data.lists() if "\x00" in key or any("\x00" in v for v in values)
    ]


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
            return self._refuse(request, 404, Http404("NUL byte in the path"), [])
        if _has_nul(request.GET):
            return self._refuse(
                request, 400, BadRequest("NUL byte in the query string"), _nul_keys(request.GET)
            )
        if request.content_type in FORMS and self._form_has_nul(request):
            return self._refuse(
                request, 400, BadRequest("NUL byte in the form"), _nul_keys(request.POST)
            )
        return self.get_response(request)

    @staticmethod
    def _refuse(request, status: int, error: Exception, fields: list[str]):
        if not request.path.startswith(API_PREFIX):
            raise error
        # The API's callers read its one error body, field by field.
        message = _("This text holds a character that is not allowed (NUL).")
        detail = message if status == 400 else _("Not found.")
        return JsonResponse(
            error_body(detail, {field: [message] for field in fields}), status=status
        )

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


PRIMARY_COOKIE = "popcorn_primary"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class PrimaryAfterWriteMiddleware:
    """With replicas (config.db_router): this request's reads may go to one, unless it
    writes or its visitor wrote in the last REPLICA_STICKY_SECONDS (a cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DATABASE_REPLICAS:
            return self.get_response(request)
        writes = request.method not in SAFE_METHODS
        token = reads_from_primary(writes or PRIMARY_COOKIE in request.COOKIES)
        try:
            response = self.get_response(request)
        finally:
            reset_reads(token)
        if writes:
            response.set_cookie(
                PRIMARY_COOKIE,
                "1",
                max_age=settings.REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


class ClientAddressMiddleware:
    """Make the visitor's address (config.http.client_ip) known to the services this
    request calls, which refuse banned address ranges without being handed the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with serving_address(client_ip(request)):
            return self.get_response(request)
