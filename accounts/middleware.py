from django.contrib.auth import SESSION_KEY as SESSION_USER_KEY
from django.utils import translation

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
