"""Moderation outcomes that cost a member programme score (the programme's rules say how
much): told to accounts' front door once the moderator's transaction has committed, so
a rolled-back action never deducts and the deduction never holds the action's locks."""

from functools import partial

from django.db import transaction

from accounts import services as account_services
from accounts.models import ScoreReason


def score_after_commit(*, user_id: int | None, reason: str, source: str) -> None:
    if user_id is None:
        return
    transaction.on_commit(
        partial(
            account_services.program_score_moderation,
            user_id=user_id,
            reason=reason,
            source=source,
        )
    )


REMOVED_POST = ScoreReason.REMOVED_POST
UPHELD_REPORT = ScoreReason.UPHELD_REPORT
SILENCE = ScoreReason.SILENCE
