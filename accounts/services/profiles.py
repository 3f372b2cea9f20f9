"""A member's own profile: display name, signature, avatar and the devices they own."""

from collections.abc import Iterable
from typing import Literal

from django.core.files import File

from accounts.models import Device, User


def profile_update(
    *,
    user: User,
    display_name: str,
    signature: str,
    avatar: File | Literal[False] | None = None,
    devices: Iterable[Device] = (),
) -> User:
    """Save the member's own profile; `avatar` None keeps it, False clears it."""
    user.display_name = display_name.strip()
    user.signature = signature.strip()
    fields = ["display_name", "signature"]
    if avatar is not None:
        user.avatar = avatar or ""
        fields.append("avatar")
    user.save(update_fields=fields)
    user.devices.set(devices)
    return user
