"""Daily check-in: once per calendar day in the site's time zone, with streaks."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Case, F, When
from django.db.models.functions import Greatest
from django.utils import timezone

from accounts.models import CheckIn, ReputationReason, User

from .reputation import reputation_grant, rules


@dataclass(frozen=True)
class CheckInResult:
    checked_in: bool  # False: already checked in today
    streak: int
    points: int


def check_in(*, user: User, today: date | None = None) -> CheckInResult:
    """Check the member in for today; a second click the same day changes nothing.

    The CheckIn row's unique (user, day) decides which of two clicks counts.
    The streak moves in one UPDATE: +1 if the last check-in was yesterday,
    otherwise back to 1, and the best streak follows with GREATEST.
    """
    today = today or timezone.localdate()
    yesterday = today - timedelta(days=1)
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = CheckIn.objects.create(user=user, day=today)
        except IntegrityError:
            user.refresh_from_db(fields=["last_check_in", "check_in_streak"])
            return CheckInResult(checked_in=False, streak=user.check_in_streak, points=0)
        new_streak = Case(
            When(last_check_in=yesterday, then=F("check_in_streak") + 1),
            default=1,
        )
        User.objects.filter(pk=user.pk).update(
            check_in_streak=new_streak,
            best_check_in_streak=Greatest(F("best_check_in_streak"), new_streak),
            last_check_in=today,
        )
        user.refresh_from_db(fields=["last_check_in", "check_in_streak", "best_check_in_streak"])
        streak = user.check_in_streak
        CheckIn.objects.filter(pk=row.pk).update(streak=streak)
        points = 0
        # The ledger words the day from the source, in the reader's date format.
        entry = reputation_grant(
            user_id=user.pk,
            reason=ReputationReason.CHECK_IN,
            source=f"check-in:{today.isoformat()}",
        )
        points += entry.points if entry else 0
        every = rules()["check_in_streak_every"]
        if every and streak % every == 0:
            bonus = reputation_grant(
                user_id=user.pk,
                reason=ReputationReason.CHECK_IN_STREAK,
                source=f"check-in-streak:{today.isoformat()}",
                params={"days": streak},
            )
            points += bonus.points if bonus else 0
    user.refresh_from_db(fields=["reputation"])
    return CheckInResult(checked_in=True, streak=streak, points=points)
