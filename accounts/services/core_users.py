"""The site-wide core-user flag: who steadily carries the community.

Criteria in settings.POPCORN["CORE_USERS"] (default: level Senior or above and
active on 15 of the last 30 days). Stable, not flickering: a member gains the
flag by meeting every threshold, keeps it until they fall below KEEP_RATIO
(90%) of one, and never loses it within HOLD_DAYS of gaining it. Staff may
lock the flag on or off; the job leaves locked members alone. Every change is
a CoreFlagChange row, written with the change.

The job is set-based and reads no member into Python, and groups the window's
activity once for each side: gainers' history rows are written by one INSERT ...
SELECT over the grouped window, then one UPDATE flags the members those rows
name (it re-checks the flag and the lock on the row it changes); losers' history
rows likewise, then one UPDATE unflags them. The
reasons are built in SQL from the translated sentences. All in one transaction,
so a rerun changes nothing and a run killed half-way left nothing.
"""

import re
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat, Left
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import CoreFlagChange, CoreLock, User
from accounts.permissions import check_can_lock_core_flag
from accounts.selectors.core_users import core_criteria
from config.jobs import job_work_mem

JOB_NAME = "accounts.update_core_flags"
# Stand-ins for a member's figures in the translated reasons, replaced by their columns.
_REP, _DAYS = -987_654_321, -987_654_322
HISTORY_FIELDS = ["user", "old", "new", "lock", "changed_by_name", "reason", "created_at"]


def _sentence(text: str) -> Concat | Value:
    """`text` (a translated sentence holding the stand-ins) as SQL: the stand-ins become
    the member's reputation and days_active columns, cast to text."""
    parts = []
    for i, piece in enumerate(re.split(f"({_REP}|{_DAYS})", text)):
        if i % 2:
            column = "reputation" if piece == str(_REP) else "days_active"
            parts.append(Cast(F(column), CharField()))
        elif piece:
            parts.append(Value(piece))
    if len(parts) == 1:
        return parts[0]
    return Concat(*parts, output_field=CharField())


def _insert_history(rows: QuerySet, *, new: bool, now: datetime, reason) -> int:
    """INSERT INTO the flag history SELECT one row per member of `rows` (annotated with
    days_active); returns how many."""
    rows = rows.annotate(
        h_user=F("pk"),
        h_old=Value(not new),
        h_new=Value(new),
        h_lock=Value(""),
        h_by=Value(JOB_NAME),
        h_reason=Left(reason, 500),
        h_at=Value(now, output_field=DateTimeField()),
    ).values("h_user", "h_old", "h_new", "h_lock", "h_by", "h_reason", "h_at")
    select, params = rows.query.sql_with_params()
    connection = connections[rows.db]
    qn = connection.ops.quote_name
    meta = CoreFlagChange._meta
    columns = ", ".join(qn(meta.get_field(name).column) for name in HISTORY_FIELDS)
    with connection.cursor() as cursor:
        # Only the ORM's own SQL is spliced in; every value is a parameter.
        cursor.execute(f"INSERT INTO {qn(meta.db_table)} ({columns}) {select}", params)
        return cursor.rowcount


@transaction.atomic
def core_flags_update(*, day: date | None = None, now: datetime | None = None) -> dict:
    """Flag and unflag members by their activity in the window ending `day` (default yesterday)."""
    job_work_mem()
    now = now or timezone.now()
    day = day or timezone.localdate(now) - timedelta(days=1)
    c = core_criteria()
    window = c.window_days
    unlocked = User.objects.filter(core_lock=CoreLock.NONE)

    def counted(rows: QuerySet) -> QuerySet:
        # Visited days in the window as one grouped join (a hash aggregate over the
        # window's rows), not a subquery per member: 300,000 probes of 30 scattered
        # rows each is minutes; one pass over the window is seconds.
        in_window = FilteredRelation(
            "daily_activity",
            condition=Q(
                daily_activity__day__gte=day - timedelta(days=window - 1),
                daily_activity__day__lte=day,
                daily_activity__visited=True,
            ),
        )
        return rows.annotate(in_window=in_window).annotate(days_active=Count("in_window"))

    gaining = counted(
        unlocked.filter(is_core=False, is_active=True, reputation__gte=c.reputation)
    ).filter(days_active__gte=c.days_active)
    gained_reason = _sentence(
        _("Level %(level)s (reputation %(rep)d), active %(days)d/%(window)d days")
        % {"level": c.level_name, "rep": _REP, "days": _DAYS, "window": window}
    )
    # The window's activity is grouped once: the history rows are written from it, then
    # the members they name are flagged (the UPDATE re-checks the flag and the lock).
    gained = 0
    if _insert_history(gaining, new=True, now=now, reason=gained_reason):
        written = CoreFlagChange.objects.filter(created_at=now, changed_by_name=JOB_NAME, new=True)
        gained = unlocked.filter(is_core=False, pk__in=written.values("user_id")).update(
            is_core=True, core_since=now
        )
        # A member locked by staff meanwhile keeps their flag: drop the row that said otherwise.
        written.exclude(user__core_since=now).delete()

    low_reputation = Q(reputation__lt=c.keep_reputation)
    few_days = Q(days_active__lt=c.keep_days_active)
    losing = counted(
        unlocked.filter(is_core=True, core_since__lte=now - timedelta(days=c.hold_days))
    ).filter(low_reputation | few_days | Q(is_active=False))
    reputation_reason = _sentence(
        _("reputation %(rep)d below %(keep)d") % {"rep": _REP, "keep": c.keep_reputation}
    )
    days_reason = _sentence(
        _("active %(days)d/%(window)d days, below %(keep)d")
        % {"days": _DAYS, "window": window, "keep": c.keep_days_active}
    )
    lost_reason = Case(
        When(
            low_reputation & few_days,
            then=Concat(reputation_reason, Value("; "), days_reason, output_field=CharField()),
        ),
        When(low_reputation, then=reputation_reason),
        When(few_days, then=days_reason),
        default=Value(_("account deactivated")),
        output_field=CharField(),
    )
    lost = _insert_history(losing, new=False, now=now, reason=lost_reason)
    if lost:
        written = CoreFlagChange.objects.filter(
            created_at=now, changed_by_name=JOB_NAME, new=False
        ).values("user_id")
        unlocked.filter(is_core=True, pk__in=written).update(is_core=False, core_since=None)
    return {"day": day.isoformat(), "gained": gained, "lost": lost}


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
