"""Medals (勋章): awarded by rules in a nightly job, or by staff (moderation's audited verb),
and chosen by their holder to show next to their name on posts.

The job is set-based: per medal one query finds the qualifying members who do not
hold it yet, and bulk_create(ignore_conflicts) writes them; the (member, medal)
constraint makes a second run, or a run racing a staff award, add nothing.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    MEDALS_SHOWN_MAX,
    Medal,
    MedalRule,
    MemberMedal,
    MembershipState,
    ProgramMembership,
    ReputationEntry,
    ReputationReason,
    User,
)

_BATCH = 1000


def _ledger_count(reason: str, threshold: int) -> QuerySet:
    # Grants that were not taken back (a like withdrawn, a bug status undone).
    return (
        ReputationEntry.objects.filter(reason=reason, reverses__isnull=True, reversal__isnull=True)
        .values("user_id")
        .annotate(n=Count("id"))
        .filter(n__gte=max(1, threshold))
        .values("user_id")
    )


def qualifying_members(medal: Medal) -> QuerySet | None:
    """The ids of every member the medal's rule says should hold it (a subquery); None
    for a medal only staff award."""
    threshold = medal.threshold
    if medal.rule == MedalRule.BUGS_CONFIRMED:
        return _ledger_count(ReputationReason.BUG_CONFIRMED, threshold)
    if medal.rule == MedalRule.MEETUPS_ATTENDED:
        return _ledger_count(ReputationReason.MEETUP_ATTENDED, threshold)
    if medal.rule == MedalRule.LIKES_RECEIVED:
        return _ledger_count(ReputationReason.LIKE, threshold)
    if medal.rule == MedalRule.CHECK_IN_STREAK:
        return User.objects.filter(best_check_in_streak__gte=max(1, threshold)).values("id")
    if medal.rule == MedalRule.PROGRAM_MEMBER:
        return (
            ProgramMembership.objects.filter(state=MembershipState.ACCEPTED)
            .values("user_id")
            .annotate(n=Count("id"))
            .filter(n__gte=max(1, threshold))
            .values("user_id")
        )
    return None


def medal_award_by_rule(*, medal: Medal, now=None) -> int:
    """Award one medal to everyone who qualifies and lacks it; returns how many were new."""
    qualifying = qualifying_members(medal)
    if qualifying is None:
        return 0
    now = now or timezone.now()
    new_ids = (
        User.objects.filter(pk__in=qualifying, is_active=True)
        .exclude(pk__in=MemberMedal.objects.filter(medal=medal).values("user_id"))
        .values_list("pk", flat=True)
    )
    created = 0
    batch: list[MemberMedal] = []
    for user_id in new_ids.iterator(chunk_size=_BATCH):
        batch.append(MemberMedal(user_id=user_id, medal=medal, awarded_at=now))
        if len(batch) >= _BATCH:
            created += len(MemberMedal.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    if batch:
        created += len(MemberMedal.objects.bulk_create(batch, ignore_conflicts=True))
    return created


def medals_award_all(*, now=None) -> dict[str, int]:
    """The nightly job: every active rule medal, one set-based pass each."""
    awarded = {}
    for medal in Medal.objects.filter(is_active=True).exclude(rule=MedalRule.MANUAL):
        awarded[medal.slug] = medal_award_by_rule(medal=medal, now=now)
    return awarded


def medal_grant(
    *, medal: Medal, user: User, by_name: str = "", reason: str = ""
) -> MemberMedal | None:
    """Give one member a medal; None when they hold it already (the constraint says so).
    Staff call this only through moderation.services.medal_award, which audits it."""
    try:
        with transaction.atomic():
            return MemberMedal.objects.create(
                user=user, medal=medal, awarded_by_name=by_name[:150], reason=reason[:300]
            )
    except IntegrityError:
        return None


def medal_take_back(*, medal: Medal, user: User) -> bool:
    deleted, _rows = MemberMedal.objects.filter(user=user, medal=medal).delete()
    return bool(deleted)


@transaction.atomic
def medals_choose_shown(*, user: User, medal_ids: list[int]) -> list[MemberMedal]:
    """Show these held medals, in this order, next to the member's name (at most three)."""
    ids = list(dict.fromkeys(int(pk) for pk in medal_ids))
    if len(ids) > MEDALS_SHOWN_MAX:
        raise ValidationError(
            {"medals": [_("Choose at most %(n)d medals to show.") % {"n": MEDALS_SHOWN_MAX}]}
        )
    # One chooser at a time per member: two tabs cannot interleave their places.
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk").get()
    held = {m.medal_id: m for m in MemberMedal.objects.filter(user=user, medal_id__in=ids)}
    if len(held) != len(ids):
        raise ValidationError({"medals": [_("You can show only medals you hold.")]})
    MemberMedal.objects.filter(user=user, shown_position__isnull=False).update(shown_position=None)
    chosen = []
    for place, medal_id in enumerate(ids, start=1):
        MemberMedal.objects.filter(pk=held[medal_id].pk).update(shown_position=place)
        held[medal_id].shown_position = place
        chosen.append(held[medal_id])
    return chosen
