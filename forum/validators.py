import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Xiaomi-style release strings (V14.0.3.0.TMCCNXM, OS1.0.5.0.UNCCNXM), developer
# builds (OS1.0.24.3.12.DEV) or plain dotted versions (14.0.3).
FIRMWARE_VERSION_RE = re.compile(r"^(?:V|OS)?\d{1,3}(?:\.\d{1,4}){1,4}(?:\.[A-Z0-9]{3,12})?$")


def validate_title(title: str) -> str:
    title = " ".join((title or "").split())
    limit = settings.POPCORN["TITLE_MAX_LENGTH"]
    if not title:
        raise ValidationError(_("Give the thread a title."), code="required")
    if len(title) > limit:
        raise ValidationError(
            ngettext(
                "Keep the title to %(limit)d character or fewer (it has %(length)d).",
                "Keep the title to %(limit)d characters or fewer (it has %(length)d).",
                limit,
            )
            % {"limit": limit, "length": len(title)},
            code="max_length",
        )
    return title


def validate_body(body: str) -> str:
    body = (body or "").strip()
    limit = settings.POPCORN["POST_MAX_LENGTH"]
    if not body:
        raise ValidationError(_("Write something before you post."), code="required")
    if len(body) > limit:
        raise ValidationError(
            ngettext(
                "Keep the post to %(limit)d character or fewer (it has %(length)d).",
                "Keep the post to %(limit)d characters or fewer (it has %(length)d).",
                limit,
            )
            % {"limit": limit, "length": len(body)},
            code="max_length",
        )
    return body


def validate_firmware_version(version: str) -> str:
    version = (version or "").strip()
    if version and not FIRMWARE_VERSION_RE.match(version):
        raise ValidationError(
            _(
                "Enter a firmware version such as V14.0.3.0.TMCCNXM or 14.0.3 "
                "(digits separated by dots, optionally a V or OS prefix and a build code)."
            ),
            code="invalid_firmware_version",
        )
    return version


def clean_fields(validators: dict) -> dict:
    """Run field validators ({field: (validator, value)}), collecting every error
    before raising once, so a form-less caller sees all of them together."""
    cleaned, errors = {}, {}
    for field, (validator, value) in validators.items():
        try:
            cleaned[field] = validator(value)
        except ValidationError as exc:
            errors[field] = exc.error_list
    if errors:
        raise ValidationError(errors)
    return cleaned
