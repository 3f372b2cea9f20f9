"""A member's own profile: display name, signature, avatar, the devices they own, and
the language they read in."""

from collections.abc import Iterable
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from accounts.languages import supported_language
from accounts.models import Device, User
from accounts.services.screening import text_screen
from config import regions


def _checked_language(language: str) -> str:
    code = supported_language(language)
    if not code or code != language:
        raise ValidationError({"language": [_("Choose one of the languages offered.")]})
    return code


def profile_update(
    *,
    user: User,
    display_name: str,
    signature: str,
    avatar: File | Literal[False] | None = None,
    devices: Iterable[Device] = (),
    language: str | None = None,
) -> User:
    """Save the member's own profile; `avatar` None keeps it, False clears it;
    `language` None keeps it. Watched words are refused or replaced in both texts."""
    texts = text_screen(
        {"display_name": display_name.strip(), "signature": signature.strip()}, queued=False
    ).texts
    user.display_name, user.signature = texts["display_name"], texts["signature"]
    fields = ["display_name", "signature"]
    if avatar is not None:
        user.avatar = avatar or ""
        fields.append("avatar")
    if language is not None:
        user.language = _checked_language(language)
        fields.append("language")
    user.save(update_fields=fields)
    user.devices.set(devices)
    return user


def language_update(*, user: User, language: str) -> bool:
    """The footer's language switch, for a signed-in member: remember their choice.

    False (and nothing written) when it is already theirs."""
    language = _checked_language(language)
    if user.language == language:
        return False
    user.language = language
    user.save(update_fields=["language"])
    return True


def city_update(*, user: User, city_id: int | None) -> User:
    """Set (or with None clear) the city the member goes to meetups in."""
    from accounts.models import City

    if city_id is not None and not City.objects.filter(pk=city_id).exists():
        raise ValidationError({"city": [_("Choose one of the cities listed.")]})
    user.city_id = city_id
    user.save(update_fields=["city"])
    return user


def member_region_record(*, user: User, ip: str | None) -> bool:
    """The member's IP location (config.regions) from the address they signed in from;
    True if it changed. Nothing is looked up while the feature is off, and the row is
    written only when the region is known and differs (one conditional UPDATE)."""
    region = regions.region_of(ip)
    if not region:
        return False
    changed = User.objects.filter(pk=user.pk).exclude(region=region).update(region=region)
    if changed:
        user.region = region
    return bool(changed)
