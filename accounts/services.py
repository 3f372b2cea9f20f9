"""Every write to accounts' tables. Other apps call these, never the models."""

from django.db.models import F

from .models import User


def user_record_post(*, user_id: int, started_thread: bool) -> None:
    """Count a new post (and thread) on its author, in the caller's transaction."""
    changes = {"post_count": F("post_count") + 1}
    if started_thread:
        changes["thread_count"] = F("thread_count") + 1
    User.objects.filter(pk=user_id).update(**changes)


def profile_update(*, user: User, display_name: str, signature: str, avatar=None, devices=()):
    user.display_name = display_name.strip()
    user.signature = signature.strip()
    fields = ["display_name", "signature"]
    if avatar is not None:
        user.avatar = avatar or ""
        fields.append("avatar")
    user.save(update_fields=fields)
    user.devices.set(devices)
    return user
