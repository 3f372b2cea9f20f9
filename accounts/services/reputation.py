"""Reputation: every change is a ledger row, written with the total in one transaction.

Other apps call reputation_grant / reputation_revoke with a reason and the
source that earned the points; points come from settings.POPCORN["REPUTATION"]
so operators can change them. The ledger's unique constraint is what makes a
source pay at most once, even when two requests race.
"""

import time as time_module
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import ReputationEntry, ReputationReason, ReputationReconciliation, User
from config.days import day_bounds
from config.defaults import DEFAULT_REPUTATION_RULES
from config.jobs import job_work_mem


def rules() -> dict:
    return {**DEFAULT_REPUTATION_RULES, **settings.POPCORN.get("REPUTATION", {})}


def _daily_caps() -> dict[str, int]:
    return {ReputationReason.REPLY: rules()["reply_daily_cap"]}


def reputation_grant(
    *,
    user_id: int,
    reason: str,
    source: str,
    points: int | None = None,
    title: str = "",
    url: str = "",
    floor: int | None = None,
    params: dict | None = None,
    at: datetime | None = None,
) -> ReputationEntry | None:
    """Give (or, for negative rules, take) points once for `source`.

    `title`, `floor` and `params` are what the ledger line is worded with when
    read (accounts.reputation_texts), never a finished sentence.

    Returns the ledger row, or None when nothing changed: the source already
    paid, the rule is worth 0, or a daily cap is reached.
    """
    if points is None:
        points = rules().get(reason, 0)
    if not points or user_id is None:
        return None
    at = at or timezone.now()
    with transaction.atomic():
        cap = _daily_caps().get(reason)
        if cap is not None:
            # Lock the member's row so two replies at the same moment cannot
            # both see room under the cap.
            User.objects.select_for_update().filter(pk=user_id).values_list("pk").get()
            start, end = day_bounds(timezone.localdate(at))
            earned = (
                ReputationEntry.objects.filter(
                    user_id=user_id, reason=reason, created_at__gte=start, created_at__lt=end
                ).aggregate(total=Sum("points"))["total"]
                or 0
            )
            points = min(points, cap - earned)
            if points <= 0:
                return None
        try:
            with transaction.atomic():
                entry = ReputationEntry.objects.create(
                    user_id=user_id,
                    points=points,
                    reason=reason,
                    source=source,
                    target_title=title[:200],
                    target_url=url[:300],
                    target_floor=floor,
                    title_params=params or {},
                    created_at=at,
                )
        except IntegrityError:
            return None
        User.objects.filter(pk=user_id).update(reputation=F("reputation") + points)
    return entry


def reputation_revoke(*, user_id: int, reason: str, source: str) -> ReputationEntry | None:
    """Take back what `source` earned, once; None if it earned nothing or was taken back."""
    with transaction.atomic():
        grant = (
            ReputationEntry.objects.filter(
                user_id=user_id, reason=reason, source=source, reverses__isnull=True
            )
            .only("pk", "points", "target_title", "target_url", "target_floor", "title_params")
            .first()
        )
        if grant is None:
            return None
        try:
            with transaction.atomic():
                entry = ReputationEntry.objects.create(
                    user_id=user_id,
                    points=-grant.points,
                    reason=reason,
                    source=source,
                    reverses=grant,
                    target_title=grant.target_title,
                    target_url=grant.target_url,
                    target_floor=grant.target_floor,
                    title_params=grant.title_params,
                )
        except IntegrityError:
            return None
        User.objects.filter(pk=user_id).update(reputation=F("reputation") - grant.points)
    return entry


@transaction.atomic
def reputation_reconcile() -> ReputationReconciliation:
    """Put every member's total back to the sum of their ledger, and record how many drifted.

    One grouped pass over the ledger finds the drifted members (a hash join
    and aggregate, not a subquery per member); only those rows are written,
    each with its own correlated sum.
    """
    started = time_module.monotonic()
    job_work_mem()
    drifted = (
        User.objects.annotate(ledger=Coalesce(Sum("reputation_entries__points"), 0))
        .exclude(reputation=F("ledger"))
        .values("pk")
    )
    ledger_sum = Coalesce(
        Subquery(
            ReputationEntry.objects.filter(user=OuterRef("pk"))
            .values("user")
            .annotate(total=Sum("points"))
            .values("total")
        ),
        0,
    )
    repaired = User.objects.filter(pk__in=drifted).update(reputation=ledger_sum)
    return ReputationReconciliation.objects.create(
        users_repaired=repaired,
        duration_ms=int((time_module.monotonic() - started) * 1000),
    )
