"""The API's one exception handler: every error is {"detail": …, "errors": {field: [...]}}.

Services raise Django's errors and the domain errors of config.errors; views never
catch them. Mapped here once:

    ValidationError (Django's or DRF's)  400, field messages in `errors`
    NotAuthenticated / bad token         401
    PermissionDenied                     403, the reason the pages show
    Http404 / NotFound                   404
    Conflict                             409
    RetryLater / Throttled               429, Retry-After (seconds), also `retry_after`

Anything else is a bug and stays a 500.
"""

import math

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

from config.errors import Conflict, RetryLater

NON_FIELD = "non_field_errors"


def error_body(detail: str, errors: dict | None = None, *, retry_after: int | None = None):
    body = {"detail": str(detail), "errors": errors or {}}
    if retry_after is not None:
        body["retry_after"] = retry_after
    return body


def _messages(value) -> list[str]:
    """DRF's nested detail (lists, dicts of lists) flattened to a list of strings."""
    if isinstance(value, dict):
        return [f"{key}: {message}" for key, inner in value.items() for message in _messages(inner)]
    if isinstance(value, list | tuple):
        return [message for item in value for message in _messages(item)]
    return [str(value)]


def _django_field_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            (NON_FIELD if field == NON_FIELD_ERRORS else field): [
                str(message) for error in errors for message in error.messages
            ]
            for field, errors in exc.error_dict.items()
        }
    return {NON_FIELD: [str(message) for message in exc.messages]}


def _first(errors: dict[str, list[str]], fallback: str) -> str:
    for messages in errors.values():
        if messages:
            return messages[0]
    return fallback


def _retry_response(detail: str, seconds: float | None) -> Response:
    wait = max(1, math.ceil(seconds)) if seconds is not None else None
    response = Response(error_body(detail, retry_after=wait), status=429)
    if wait is not None:
        response["Retry-After"] = str(wait)
    return response


def exception_handler(exc, context):
    # A RetryLater first: forum's PostingLimitError is also a ValidationError.
    if isinstance(exc, RetryLater):
        set_rollback()
        text = exc.messages[0] if isinstance(exc, DjangoValidationError) else str(exc)
        return _retry_response(text or _("Too many requests: try again later."), exc.retry_after)
    if isinstance(exc, exceptions.Throttled):
        return _retry_response(
            _("Too many requests: try again later."),
            exc.wait,
        )
    # A Conflict before a ValidationError too: some are both (a form error on the page).
    if isinstance(exc, Conflict):
        set_rollback()
        text = exc.messages[0] if isinstance(exc, DjangoValidationError) else exc.message
        return Response(error_body(text or _("Conflict.")), status=409)
    if isinstance(exc, DjangoValidationError):
        set_rollback()
        errors = _django_field_errors(exc)
        return Response(error_body(_first(errors, _("Invalid input.")), errors), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if not isinstance(exc, exceptions.APIException):
        return None
    set_rollback()
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        if isinstance(detail, dict):
            errors = {field: _messages(value) for field, value in detail.items()}
        else:
            errors = {NON_FIELD: _messages(detail)}
        body = error_body(_first(errors, _("Invalid input.")), errors)
    else:
        body = error_body(" ".join(_messages(exc.detail)))
    response = Response(body, status=exc.status_code)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        # DRF sets WWW-Authenticate on the response when it answers 401 itself.
        auth_header = getattr(exc, "auth_header", None)
        if auth_header:
            response["WWW-Authenticate"] = auth_header
    if getattr(exc, "wait", None):
        response["Retry-After"] = str(math.ceil(exc.wait))
    return response
