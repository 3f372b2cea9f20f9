"""The footer's language switch: Django's set_language, which for a signed-in member
also saves the choice on their profile."""

from contextlib import suppress

from django.core.exceptions import ValidationError
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts import services
from config.http import safe_next


@csrf_protect
def _member_switch(request):
    response = set_language(request)
    with suppress(ValidationError):  # a language we do not offer: set_language ignored it too
        services.language_update(user=request.user, language=request.POST.get("language", ""))
    return response


# Visitors' pages are cached whole and shared, so their switch carries no
# per-visitor CSRF token: for them it only sets the language cookie. A
# member's switch writes to their profile, so it is checked as usual.
@csrf_exempt
@require_POST
def language_switch(request):
    switch = _member_switch if request.user.is_authenticated else set_language
    response = switch(request)
    # set_language follows any relative `next` (a bare word too) or the Referer;
    # like every view, this one sends people back only to a path on the site.
    if response.has_header("Location"):
        response["Location"] = safe_next(request, "/", value=response["Location"])
    return response
