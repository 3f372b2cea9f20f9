"""Who is calling the API: an app's allauth session token, or the browser's session.

The token is what allauth headless hands out at /_allauth/app/v1/auth/login; it is a
Django session key, so a sign-out, a password change or a deactivated account ends it
exactly as it ends the browser's session. The browser's session goes through DRF's
SessionAuthentication, which checks CSRF on every unsafe method.
"""

from allauth.headless.contrib.rest_framework.authentication import (
    XSessionTokenAuthentication,
)
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import AuthenticationFailed

TOKEN_HEADER = "X-Session-Token"  # noqa: S105 (a header name)


def activate_member_language(request, user) -> None:
    """The member's language setting, as the pages' MemberLanguageMiddleware does.

    Token requests reach the view before anyone knows the user, so the middleware
    (which runs first) could only see Accept-Language.
    """
    language = getattr(user, "language", "") or ""
    if language in dict(settings.LANGUAGES) and language != translation.get_language():
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SessionTokenAuthentication(XSessionTokenAuthentication):
    """X-Session-Token: <token>. A token that is sent but unknown or expired is a 401."""

    def authenticate(self, request):
        token = self.get_session_token(request)
        if not token:
            return None
        found = super().authenticate(request)
        if found is None or not found[0].is_active:
            raise AuthenticationFailed(_("Your session token is invalid or has expired."))
        activate_member_language(request._request, found[0])
        return found

    def authenticate_header(self, request) -> str:
        # A 401 rather than a 403 for an anonymous call to a member-only operation.
        return TOKEN_HEADER
