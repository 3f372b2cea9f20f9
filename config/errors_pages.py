"""The pages of a request that failed on the server: 503 while the database is away
(a restart, a failover, a lock that timed out), else 500.

Django calls `server_error` for any exception nothing else answered, from a view or
from a middleware, inside its except block (so sys.exc_info() is that exception). The
pages are rendered without the request's context: its user and session would ask the
database again. Every write is in a transaction, so a request cut off this way leaves
nothing half-written; the visitor is asked to try again shortly.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from config.api_errors import error_body

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
RETRY_AFTER_SECONDS = 10


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether the database, not the code, failed: the connection, or a transient
    state PostgreSQL or SQLite reports as operational (a restart, a lock timeout)."""
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request) -> HttpResponse:
    exc = sys.exc_info()[1]
    api = request.path.startswith(API_PREFIX)
    if database_unavailable(exc):
        logger.warning("Database unavailable for %s %s: %s", request.method, request.path, exc)
        detail = _("The forum is briefly unavailable. Please try again in a few seconds.")
        if api:
            body = error_body(detail, retry_after=RETRY_AFTER_SECONDS)
            response = JsonResponse(body, status=503)
        else:
            page = loader.render_to_string("503.html", {"detail": detail})
            response = HttpResponse(page, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if api:
        return JsonResponse(error_body(_("Something went wrong on our side.")), status=500)
    return HttpResponse(loader.render_to_string("500.html"), status=500)
