"""Writes of a member's sanction fields (suspended / silenced until, with why).

The rules (who may sanction whom, the audit row, the notice) are the staff
side's, in moderation.services.sanctions; this module only changes the user row, each
time with one conditional UPDATE so two moderators at once cannot interleave a
read and a write. Expiry needs no job: User.is_suspended / is_silenced compare
with now() on the row every request loads; sanctions_clear_expired only tidies.
"""

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from accounts.models import User

SUSPENSION = ("suspended_until", "suspension_reason")
SILENCE = ("silenced_until", "silence_reason")


def _fields(kind: str) -> tuple[str, str]:
    return {"suspension": SUSPENSION, "silence": SILENCE}[kind]


def sanction_set(*, user_id: int, kind: str, until: datetime, reason: str) -> bool:
    """Suspend or silence until `until` (replacing any current one); False if no such user."""
    until_field, reason_field = _fields(kind)
    return bool(
        User.objects.filter(pk=user_id).update(**{until_field: until, reason_field: reason[:500]})
    )


def sanction_lift(*, user_id: int, kind: str) -> bool:
    """End a sanction now; False when none was in force (already expired or never set)."""
    until_field, reason_field = _fields(kind)
    return bool(
        User.objects.filter(pk=user_id, **{f"{until_field}__gt": timezone.now()}).update(
            **{until_field: None, reason_field: ""}
        )
    )


def sanctions_clear_expired(*, now: datetime | None = None) -> int:
    """Clear every sanction that has run out: two set-based UPDATEs. Returns rows changed."""
    now = now or timezone.now()
    changed = 0
    for until_field, reason_field in (SUSPENSION, SILENCE):
        changed += User.objects.filter(
            Q(**{f"{until_field}__lte": now}) & Q(**{f"{until_field}__isnull": False})
        ).update(**{until_field: None, reason_field: ""})
    return changed
