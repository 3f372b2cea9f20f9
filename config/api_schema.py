"""How every API operation documents itself: `api_doc(...)` on the view method.

    @api_doc(
        tag="threads", summary="Start a thread",
        permission="Members who may post in the board (the page's rule).",
        request=ThreadCreateInput, responses={201: ThreadOut}, errors=(400, 403, 404),
    )
    def post(self, request, board_id): ...

It adds the error responses, all with the one error body (ErrorSerializer): the codes
given, 401 everywhere (a token sent but unknown), and on writes 403 (CSRF of the
browser session) and 429 (throttles, posting limits). The permission goes first in the
description, so Swagger UI shows who may call it. Tags are the resource names (TAGS).
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers

TAGS = (
    "boards",
    "threads",
    "posts",
    "search",
    "triage",
    "members",
    "notifications",
    "messages",
    "bookmarks",
    "drafts",
    "blocks",
    "reputation",
    "invitations",
    "programs",
    "medals",
    "meetups",
    "polls",
    "moderation",
    "staff",
)

ERROR_DESCRIPTIONS = {
    400: "Bad input: `errors` holds the messages per field.",
    401: "Not signed in, or the session token is invalid or expired.",
    403: "Not allowed: `detail` is the reason the pages show.",
    404: "No such thing, or not one the caller may see.",
    409: "Conflicts with the current state (done already, in progress).",
    413: "The upload is too large.",
    429: "Too many requests or a posting limit: wait `Retry-After` seconds.",
}

WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in the caller's language.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field; `non_field_errors` for the request as a whole.",
    )
    retry_after = serializers.IntegerField(
        required=False, min_value=1, help_text="Seconds to wait (429 only), as in Retry-After."
    )


IDEMPOTENCY_KEY = OpenApiParameter(
    name="Idempotency-Key",
    location=OpenApiParameter.HEADER,
    required=False,
    type=str,
    description=(
        "Any unique string (≤ 100 characters, e.g. a UUID) per new post. Retrying the same "
        "request with the same key returns the post created the first time, never a "
        "second one; the same key with a different request is a 409."
    ),
)


def error_responses(codes) -> dict[int, OpenApiResponse]:
    return {
        code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code])
        for code in sorted(set(codes))
    }


def api_doc(
    *,
    tag: str,
    summary: str,
    permission: str,
    responses: dict,
    request=None,
    errors=(),
    parameters=None,
    description: str = "",
    write: bool | None = None,
    **extra,
):
    """extend_schema with the house's conventions; see the module's docstring."""
    if tag not in TAGS:
        raise ValueError(f"unknown API tag {tag!r}: one of {TAGS}")

    def decorate(func):
        is_write = func.__name__ in WRITE_METHODS if write is None else write
        codes = {401, *errors}
        if is_write:
            codes |= {403, 429}
        text = f"**Permission:** {permission}"
        if description:
            text = f"{text}\n\n{description}"
        return extend_schema(
            tags=[tag],
            summary=summary,
            description=text,
            request=request,
            responses={**responses, **error_responses(codes)},
            parameters=parameters,
            **extra,
        )(func)

    return decorate


class SessionTokenScheme(OpenApiAuthenticationExtension):
    target_class = "config.api_auth.SessionTokenAuthentication"
    match_subclasses = True  # accounts' subclass adds the member rules
    name = "sessionToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Session-Token",
            "description": "The session token from POST /_allauth/app/v1/auth/login.",
        }
