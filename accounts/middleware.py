from django.conf import settings
from django.contrib import auth
from django.contrib.auth import SESSION_KEY as SESSION_USER_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from accounts import user_cache
from accounts.languages import supported_language
from accounts.permissions import note_second_factor
from accounts.services import visit_record


class MemberLanguageMiddleware:
    """A signed-in member reads in the language of their profile.

    After LocaleMiddleware, which has chosen from the switch's cookie or
    Accept-Language (that stays the choice for visitors and for members who
    never chose). The user row is the one every page loads anyway (the bell,
    the header), so this costs no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = supported_language(user.language)
            if language and language != request.LANGUAGE_CODE:
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class DailyVisitMiddleware:
    """Record a signed-in member's visit once a day (accounts.services.activity says how).

    After the view, so the user the view already loaded is reused; anonymous
    requests are untouched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            visit_record(user_id=user.pk)
        return response


class SecondFactorMiddleware:
    """Note whether a signed-in session passed a second factor (accounts.permissions).

    After AuthenticationMiddleware. A visitor with no session cookie is not looked up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if SESSION_USER_KEY in request.session and request.user.is_authenticated:
            note_second_factor(request.user, request.session)
        return self.get_response(request)


class CachedAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, with the member's row from the cache.

    The session's user id and backend are read as Django reads them; the row comes from
    accounts.user_cache (kept safe for bans by a version bumped on every write), then the
    session is verified against the password hash exactly as django.contrib.auth.get_user
    does. Off (POPCORN["USER_CACHE"] false, the cache unreachable, no session user):
    Django's own lookup.
    """

    def process_request(self, request):
        super().process_request(request)
        if user_cache.enabled():
            request.user = SimpleLazyObject(lambda: _cached_request_user(request))


def _cached_request_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = _load_user(request) or auth.get_user(request)
    return request._cached_user


def _load_user(request):
    """The session's user from the cache, verified; None: let Django look it up."""
    try:
        user_id = auth._get_user_session_key(request)
        backend_path = request.session[auth.BACKEND_SESSION_KEY]
    except KeyError:
        return None
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None
    user = user_cache.cached_user(user_id)
    # ModelBackend.get_user refuses inactive members: Django's lookup does the refusing.
    if user is None or not getattr(user, "is_active", True):
        return None
    session_hash = request.session.get(auth.HASH_SESSION_KEY)
    if not session_hash or not constant_time_compare(session_hash, user.get_session_auth_hash()):
        return None  # a changed password or a rotated key: Django decides (and flushes)
    user.backend = backend_path
    return user
