"""The languages a member may read in, and which one a member or a browser gets.

A member's `language` is blank until they (or their browser at sign-up) chose
one; blank reads in what the browser asks for on pages and in the site's
LANGUAGE_CODE in emails.
"""

from django.conf import settings
from django.utils.translation import get_supported_language_variant


def language_choices() -> list[tuple[str, str]]:
    """settings.LANGUAGES, read when asked: a model field's choices that never need a
    migration when the list of languages changes."""
    return list(settings.LANGUAGES)


def supported_language(code: str | None) -> str:
    """The code of LANGUAGES that serves `code` ("zh-cn" -> "zh-hans"), or "" for none."""
    if not code:
        return ""
    try:
        return get_supported_language_variant(code)
    except LookupError:
        return ""


def language_for(user) -> str:
    """The language to write to this member in: their choice, else the site's."""
    return supported_language(getattr(user, "language", "")) or settings.LANGUAGE_CODE
