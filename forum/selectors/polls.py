"""Reading polls: the shared results snapshot, my choices, a public poll's voters.

Why a snapshot of its own: the anonymous thread page is cached whole under the
thread's version (forum.caching), and a vote must not bump that version, or a
popular poll would throw away everybody's cached page on every tap. So the poll's
shared part (question, options, counts) is cached apart, under a per-poll version
that votes bump (caching.poll_scope). It is data, not HTML: the page renders it
around the personal part (my choices, the form's CSRF token, the close button),
which is never in a shared cache. Signed-in pages are not page-cached, so they
always show the current counts; the anonymous page's copy of the block refreshes
itself from poll_block (htmx), and without JavaScript it is at most
PAGE_CACHE_SECONDS old, with a link to the poll's own, uncached page.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

from forum import caching
from forum.models import Poll, PollOption, PollVote

logger = logging.getLogger(__name__)

VOTERS_PER_PAGE = 50


@dataclass(frozen=True)
class OptionResult:
    id: int
    position: int
    text: str
    vote_count: int
    percent: int


@dataclass(frozen=True)
class PollSnapshot:
    """What everyone sees of a poll, the same for all (cached by poll version)."""

    id: int
    thread_id: int
    question: str
    max_choices: int
    closes_at: datetime | None
    closed_at: datetime | None
    results: str
    is_public: bool
    voter_count: int
    options: tuple[OptionResult, ...] = field(default_factory=tuple)

    @property
    def is_multiple(self) -> bool:
        return self.max_choices > 1

    def is_closed(self, now=None) -> bool:
        now = now or timezone.now()
        return self.closed_at is not None or (self.closes_at is not None and self.closes_at <= now)


def _build(thread_id: int) -> PollSnapshot | None:
    poll = Poll.objects.filter(thread_id=thread_id).first()
    if poll is None:
        return None
    rows = PollOption.objects.filter(poll=poll).order_by("position")
    voters = poll.voter_count
    options = tuple(
        OptionResult(
            id=o.pk,
            position=o.position,
            text=o.text,
            vote_count=o.vote_count,
            percent=round(100 * o.vote_count / voters) if voters else 0,
        )
        for o in rows
    )
    return PollSnapshot(
        id=poll.pk,
        thread_id=thread_id,
        question=poll.question,
        max_choices=poll.max_choices,
        closes_at=poll.closes_at,
        closed_at=poll.closed_at,
        results=poll.results,
        is_public=poll.is_public,
        voter_count=voters,
        options=options,
    )


def poll_snapshot(thread_id: int) -> PollSnapshot | None:
    """The thread's poll as everyone sees it: from the cache (no query), else 2 queries."""
    try:
        key = f"pollsnap:{thread_id}:{caching.versions(caching.poll_scope(thread_id))}"
        found = cache.get(key)
    except Exception:
        logger.warning("poll cache unavailable", exc_info=True)
        return _build(thread_id)
    if found is not None:
        return found
    snapshot = _build(thread_id)
    if snapshot is not None:
        try:
            cache.set(key, snapshot, 24 * 3600)
        except Exception:
            logger.warning("poll cache unavailable", exc_info=True)
    return snapshot


def my_choices(poll_id: int, user) -> frozenset[int]:
    """The option ids this member chose (one query; none for anonymous visitors)."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(
        PollVote.objects.filter(user=user, poll_id=poll_id).values_list("option_id", flat=True)
    )


def option_voters(option_id: int, *, after: int | None = None, size: int = VOTERS_PER_PAGE):
    """A public poll's voters of one option, oldest vote first, paged by vote id.
    Returns (rows, next_after): next_after is None on the last page. Callers check
    the poll is public: anonymous votes are never listed."""
    votes = PollVote.objects.filter(option_id=option_id)
    if after is not None:
        votes = votes.filter(id__gt=after)
    rows = list(votes.order_by("id").values("id", "user_id", "user_name", "created_at")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (rows[-1]["id"] if more else None)
