"""The site-wide core-user flag: who steadily carries the community.

Criteria in settings.POPCORN["CORE_USERS"] (default: level Senior or above and
active on 15 of the last 30 days). Stable, not flickering: a member gains the
flag by meeting every threshold, keeps it until they fall below KEEP_RATIO
(90%) of one, and never loses it within HOLD_DAYS of gaining it. Staff may
lock the flag on or off; the job leaves locked members alone. Every change is
a CoreFlagChange row, written with the change.

The job is set-based: two filtered queries find who gains and who loses (only
members near the thresholds are ever read), then one UPDATE and one
bulk_create per batch of changes, all in one transaction, so a rerun changes
nothing and a run killed half-way left nothing.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import CoreFlagChange, CoreLock, User
from accounts.permissions import check_can_lock_core_flag
from accounts.selectors.core_users import core_criteria, days_active_in_window

JOB_NAME = "accounts.update_core_flags"
BATCH = 1000


def _history(rows, *, new: bool, now: datetime, why) -> list[CoreFlagChange]:
    return [
        CoreFlagChange(
            user_id=pk,
            old=not new,
            new=new,
            changed_by_name=JOB_NAME,
            reason=why(reputation, days)[:500],
            created_at=now,
        )
        for pk, reputation, days in rows
    ]


def _apply(rows, *, new: bool, now: datetime, why) -> int:
    for i in range(0, len(rows), BATCH):
        batch = rows[i : i + BATCH]
        ids = [pk for pk, _rep, _days in batch]
        # Locks are re-checked in the UPDATE; rows were locked when read.
        User.objects.filter(pk__in=ids, is_core=not new, core_lock=CoreLock.NONE).update(
            is_core=new, core_since=now if new else None
        )
        CoreFlagChange.objects.bulk_create(_history(batch, new=new, now=now, why=why))
    return len(rows)


@transaction.atomic
def core_flags_update(*, day: date | None = None, now: datetime | None = None) -> dict:
    """Flag and unflag members by their activity in the window ending `day` (default yesterday)."""
    now = now or timezone.now()
    day = day or timezone.localdate(now) - timedelta(days=1)
    c = core_criteria()
    window = c.window_days
    days_active = days_active_in_window(last=day, days=window)
    unlocked = User.objects.select_for_update(of=("self",)).filter(core_lock=CoreLock.NONE)

    gaining = list(
        unlocked.filter(is_core=False, is_active=True, reputation__gte=c.reputation)
        .annotate(days_active=days_active)
        .filter(days_active__gte=c.days_active)
        .order_by("pk")
        .values_list("pk", "reputation", "days_active")
    )
    losing = list(
        unlocked.filter(is_core=True, core_since__lte=now - timedelta(days=c.hold_days))
        .annotate(days_active=days_active)
        .filter(
            Q(reputation__lt=c.keep_reputation)
            | Q(days_active__lt=c.keep_days_active)
            | Q(is_active=False)
        )
        .order_by("pk")
        .values_list("pk", "reputation", "days_active")
    )

    def gained(reputation, days):
        return _("Level %(level)s (reputation %(rep)d), active %(days)d/%(window)d days") % {
            "level": c.level_name,
            "rep": reputation,
            "days": days,
            "window": window,
        }

    def lost(reputation, days):
        reasons = []
        if reputation < c.keep_reputation:
            reasons.append(
                _("reputation %(rep)d below %(keep)d")
                % {"rep": reputation, "keep": c.keep_reputation}
            )
        if days < c.keep_days_active:
            reasons.append(
                _("active %(days)d/%(window)d days, below %(keep)d")
                % {"days": days, "window": window, "keep": c.keep_days_active}
            )
        return "; ".join(reasons) or _("account deactivated")

    return {
        "day": day.isoformat(),
        "gained": _apply(gaining, new=True, now=now, why=gained),
        "lost": _apply(losing, new=False, now=now, why=lost),
    }


@transaction.atomic
def core_flag_lock(*, user: User, actor: User, lock: str, reason: str) -> CoreFlagChange:
    """Staff pin a member's flag on or off, or unlock it (the job decides again)."""
    check_can_lock_core_flag(actor)
    if lock not in CoreLock.values:
        raise ValidationError({"lock": [_("Choose on, off or not locked.")]})
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": [_("Say why, for the history.")]})
    current = User.objects.select_for_update().only("is_core", "core_since").get(pk=user.pk)
    new = {CoreLock.ON: True, CoreLock.OFF: False}.get(lock, current.is_core)
    now = timezone.now()
    changes = {"core_lock": lock, "is_core": new}
    if new != current.is_core:
        changes["core_since"] = now if new else None
    User.objects.filter(pk=user.pk).update(**changes)
    for field, value in changes.items():
        setattr(user, field, value)
    return CoreFlagChange.objects.create(
        user=user,
        old=current.is_core,
        new=new,
        lock=lock,
        changed_by=actor,
        changed_by_name=actor.username,
        reason=reason[:500],
        created_at=now,
    )
