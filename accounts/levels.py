"""Levels from reputation thresholds (names and thresholds in settings.POPCORN["LEVELS"])."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Level:
    key: str
    name: str
    threshold: int
    rank: int  # 0 for the lowest level


def all_levels() -> list[Level]:
    return [
        Level(key=key, name=str(name), threshold=threshold, rank=rank)
        for rank, (key, name, threshold) in enumerate(
            sorted(settings.POPCORN["LEVELS"], key=lambda level: level[2])
        )
    ]


def level_for(reputation: int) -> Level:
    """The highest level whose threshold this reputation reaches (pure: no query)."""
    levels = all_levels()
    current = levels[0]
    for level in levels:
        if reputation >= level.threshold:
            current = level
    return current


def level_by_key(key: str) -> Level:
    for level in all_levels():
        if level.key == key:
            return level
    raise KeyError(key)


def threshold_of(key: str) -> int:
    return level_by_key(key).threshold


def next_level(reputation: int) -> Level | None:
    current = level_for(reputation)
    higher = [level for level in all_levels() if level.rank == current.rank + 1]
    return higher[0] if higher else None


DEFAULT_LEVELS = [
    ("newcomer", _("Newcomer"), 0),
    ("member", _("Member"), 50),
    ("active", _("Active"), 200),
    ("senior", _("Senior"), 1_000),
    ("core", _("Core"), 5_000),
    ("legend", _("Legend"), 20_000),
]


def level_progress(reputation: int) -> dict:
    """The next level, the points still needed and the percent of the way there."""
    current, coming = level_for(reputation), next_level(reputation)
    if coming is None:
        return {"next_level": None, "points_to_next": 0, "level_progress": 100}
    span = coming.threshold - current.threshold
    done = max(0, reputation - current.threshold)
    return {
        "next_level": coming,
        "points_to_next": coming.threshold - reputation,
        "level_progress": min(100, done * 100 // span) if span else 100,
    }


# Reputation rules: points per ledger reason (accounts.models.ReputationReason
# values) and the caps. settings.POPCORN["REPUTATION"] starts as this dict;
# operators change values there, and a key they leave out keeps its default.
DEFAULT_REPUTATION_RULES = {
    "thread": 2,
    "reply": 1,
    "like": 2,  # per like received; taken back with the like
    "helpful": 15,
    "featured": 15,
    "bug_confirmed": 20,
    "check_in": 1,
    "check_in_streak": 5,  # on top of check_in, every check_in_streak_every-th day in a row
    "invitee_active": 10,
    "content_removed": -10,  # a post hidden after a report was upheld
    "report_upheld": 2,
    "reply_daily_cap": 20,  # most reply points in one day (site time zone)
    "check_in_streak_every": 7,
}
