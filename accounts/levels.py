"""Levels from reputation thresholds (names and thresholds in settings.POPCORN["LEVELS"])."""

from dataclasses import dataclass

from django.conf import settings


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
