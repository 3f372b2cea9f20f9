"""Posting limits: rate limits, new members' caps, slow mode and duplicates.

forum.services.thread_create and post_reply call thread_allowed / reply_allowed
after permissions and validation, before anything is written; post_edit calls
check_edit. A refusal is a PostingLimitError (a ValidationError), which the
forms show as it is: what the rule is and when the member may post again.

Counters live in the cache (Redis in production, local memory in development
and in tests on SQLite). Every one is taken with cache.add + cache.incr, both
atomic, never read-modify-write, so two requests at once cannot both slip under
a limit; a slot taken for a post that then fails is given back. Rate limits use
fixed windows: simple and O(1), at the price of allowing up to twice the limit
across a window's edge. The board's moderators and staff are exempt from all of
it. POPCORN["POSTING_LIMITS_ENABLED"] switches everything but slow mode (a
moderator's explicit choice on a thread) off.

When the cache cannot be reached (config.cache), the counted rules (slow mode,
duplicates, first-day caps, rate limits) are counted from the member's rows in
the database instead, with a logged warning: slower, not atomic across two
requests at the same instant, but a member is held to the same numbers and
nobody is locked out by an outage.
"""

import contextlib
import functools
import hashlib
import logging
import math
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from config.cache import CACHE_DOWN, cache_available
from config.errors import RetryLater
from forum import rendering
from forum.models import Board, Post, Thread
from forum.permissions import attachments_denied_reason, below_level, can_moderate

logger = logging.getLogger(__name__)

PREFIX = "limits"
# Seconds since the epoch; windows and waits are computed from it (tests pin it).
clock = time.time


# What a moderator may pick for a thread's slow mode (seconds, label).
SLOW_MODE_CHOICES = [
    (0, gettext_lazy("Off")),
    (30, gettext_lazy("30 seconds")),
    (60, gettext_lazy("1 minute")),
    (5 * 60, gettext_lazy("5 minutes")),
    (15 * 60, gettext_lazy("15 minutes")),
    (60 * 60, gettext_lazy("1 hour")),
    (6 * 60 * 60, gettext_lazy("6 hours")),
    (24 * 60 * 60, gettext_lazy("1 day")),
]


class PostingLimitError(ValidationError, RetryLater):
    """A posting limit said no; retry_after is in seconds when waiting will help.

    A ValidationError for the forms, a RetryLater for the API (429 + Retry-After).
    """

    def __init__(self, message: str, *, retry_after: int | None = None):
        super().__init__(message, code="posting_limit")
        self.retry_after = retry_after


def _rules() -> dict:
    return settings.POPCORN


def _enabled() -> bool:
    return _rules()["POSTING_LIMITS_ENABLED"]


def wait_text(seconds: int) -> str:
    """ "42 seconds", "3 minutes", "1 hour, 5 minutes": how long until posting works again."""
    seconds = max(1, math.ceil(seconds))
    if seconds < 60:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    # timeuntil joins number and unit with a no-break space; messages read plainly.
    base = timezone.now()
    return timeuntil(base + timedelta(seconds=seconds), now=base).replace("\xa0", " ")


def is_exempt(user: User, board: Board | int) -> bool:
    return user.is_staff or can_moderate(user, board)


def in_first_day(user: User, hours: int | None = None) -> bool:
    hours = _rules()["NEW_USER_HOURS"] if hours is None else hours
    return timezone.now() - user.date_joined < timedelta(hours=hours)


def is_new_member(user: User, *, level_key: str | None = None, hours: int | None = None) -> bool:
    """Below a level, or joined less than some hours ago (NEW_USER_LEVEL/_HOURS by default)."""
    level_key = _rules()["NEW_USER_LEVEL"] if level_key is None else level_key
    return below_level(user, level_key) or in_first_day(user, hours)


# Counters in the cache ---------------------------------------------------------


@dataclass
class Slots:
    """Counter slots taken for one post; given back if the post is not written."""

    taken: list[tuple[str, str]] = field(default_factory=list)  # (how, key)

    def give_back(self) -> None:
        for how, key in reversed(self.taken):
            if how == "incr":
                _decr(key)
            else:
                cache.delete(key)
        self.taken.clear()


def _decr(key: str) -> None:
    with contextlib.suppress(ValueError):  # expired meanwhile: nothing left to give back
        cache.decr(key)


def _incr(key: str, *, seed, timeout: int) -> int:
    """Add one to a counter, creating it with `seed` (a value or a callable) if missing."""
    for _attempt in range(3):
        if cache.get(key) is None:
            cache.add(key, seed() if callable(seed) else seed, timeout=timeout)
        try:
            return cache.incr(key)
        except CACHE_DOWN:
            raise
        except ValueError:  # evicted or expired between add and incr: create it again
            continue
    raise RuntimeError(f"cache counter {key} keeps vanishing")


def _take_window(slots: Slots, *, name: str, user_id: int, limit: int, window: int) -> int | None:
    """Take a slot in this fixed window; the seconds to wait when it is full."""
    now = clock()
    start = int(now // window) * window
    key = f"{PREFIX}:rate:{name}:{user_id}:{start}"
    if _incr(key, seed=0, timeout=window + 60) > limit:
        _decr(key)  # a refused attempt is not a post
        return max(1, math.ceil(start + window - now))
    slots.taken.append(("incr", key))
    return None


def _take_once(slots: Slots, *, key: str, seconds: int) -> float | None:
    """Hold a key for `seconds`; when someone holds it already, the seconds left."""
    expires = clock() + seconds
    if cache.add(key, expires, timeout=seconds):
        slots.taken.append(("once", key))
        return None
    held_until = cache.get(key)
    return max(1.0, (held_until or expires) - clock())


# The rules ----------------------------------------------------------------------


def _check_content(user, *, board: Board | int, body: str, attachments: Sequence) -> None:
    """Links, mentions and attachments for new members: no counters, nothing taken."""
    rules = _rules()
    if attachments:
        # The rule lives in forum.permissions: the posting forms state it before a file is picked.
        refused = attachments_denied_reason(user, board)
        if refused:
            raise PostingLimitError(refused)
    if not is_new_member(user):
        return
    links = len(rendering.external_links(body))
    if links > rules["NEW_USER_MAX_LINKS"]:
        raise PostingLimitError(
            ngettext(
                "New members can put at most %(max)d link in a post; this one has %(n)d.",
                "New members can put at most %(max)d links in a post; this one has %(n)d.",
                rules["NEW_USER_MAX_LINKS"],
            )
            % {"max": rules["NEW_USER_MAX_LINKS"], "n": links}
        )
    mentioned = _mention_count(body, more_than=rules["NEW_USER_MAX_MENTIONS"])
    if mentioned > rules["NEW_USER_MAX_MENTIONS"]:
        raise PostingLimitError(
            ngettext(
                "New members can mention at most %(max)d member in a post; "
                "this one mentions %(n)d.",
                "New members can mention at most %(max)d members in a post; "
                "this one mentions %(n)d.",
                rules["NEW_USER_MAX_MENTIONS"],
            )
            % {"max": rules["NEW_USER_MAX_MENTIONS"], "n": mentioned}
        )


def _mention_count(body: str, *, more_than: int) -> int:
    """Members really mentioned (outside quotes); no query unless there could be too many."""
    candidates = rendering.mention_candidates(body)
    if len(candidates) <= more_than:
        return len(candidates)  # an upper bound, and already within the limit
    names = User.objects.filter(username__in=candidates).values_list("username", flat=True)
    known = frozenset(names)
    return len(rendering.mentioned_usernames(body, known_usernames=known, outside_quotes=True))


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def _duplicate_error(left: float) -> PostingLimitError:
    return PostingLimitError(
        _("You posted the same text a moment ago. Write something new, or wait %(wait)s.")
        % {"wait": wait_text(left)},
        retry_after=math.ceil(left),
    )


def _take_duplicate(slots: Slots, user, body: str) -> None:
    """The same text again within DUPLICATE_POST_MINUTES is refused (double submits too)."""
    minutes = _rules()["DUPLICATE_POST_MINUTES"]
    if not minutes:
        return
    digest = hashlib.sha256(_normalised(body).encode()).hexdigest()[:40]
    left = _take_once(slots, key=f"{PREFIX}:dup:{user.pk}:{digest}", seconds=minutes * 60)
    if left is not None:
        raise _duplicate_error(left)


def _first_day_left(user) -> int:
    end = user.date_joined + timedelta(hours=_rules()["NEW_USER_HOURS"])
    return max(1, math.floor((end - timezone.now()).total_seconds()))


def _first_day_error(*, thread: bool, cap: int, left: int) -> PostingLimitError:
    message = (
        ngettext(
            "In their first day new members can start %(cap)d thread. "
            "You can start another in %(wait)s.",
            "In their first day new members can start %(cap)d threads. "
            "You can start another in %(wait)s.",
            cap,
        )
        if thread
        else ngettext(
            "In their first day new members can post %(cap)d reply. "
            "You can reply again in %(wait)s.",
            "In their first day new members can post %(cap)d replies. "
            "You can reply again in %(wait)s.",
            cap,
        )
    )
    return PostingLimitError(message % {"cap": cap, "wait": wait_text(left)}, retry_after=left)


def _first_day_count(user, *, thread: bool) -> int:
    if thread:
        return Thread.objects.filter(author=user, created_at__gte=user.date_joined).count()
    return Post.objects.filter(author=user, created_at__gte=user.date_joined, floor__gt=1).count()


def _take_first_day(slots: Slots, user, *, thread: bool) -> None:
    """New members' caps for their first day, counted from their rows once, then in the cache."""
    if not in_first_day(user):
        return
    rules = _rules()
    cap = rules["FIRST_DAY_THREADS"] if thread else rules["FIRST_DAY_REPLIES"]
    left = _first_day_left(user)
    key = f"{PREFIX}:firstday:{'threads' if thread else 'replies'}:{user.pk}"
    # Counted from the rows only when the counter is missing.
    seed = functools.partial(_first_day_count, user, thread=thread)
    if _incr(key, seed=seed, timeout=left) > cap:
        _decr(key)
        raise _first_day_error(thread=thread, cap=cap, left=left)
    slots.taken.append(("incr", key))


def _rate(user, *, thread: bool) -> tuple[int, int, str]:
    """(limit, window in seconds, name) of the member's rate limit."""
    rules = _rules()
    new = is_new_member(user)
    if thread:
        return rules["NEW_USER_THREADS_PER_HOUR" if new else "THREADS_PER_HOUR"], 60 * 60, "threads"
    return rules["NEW_USER_REPLIES_PER_MINUTE" if new else "REPLIES_PER_MINUTE"], 60, "replies"


def _rate_error(*, thread: bool, limit: int, wait: int) -> PostingLimitError:
    what = (
        ngettext(
            "You can start %(limit)d thread an hour.",
            "You can start %(limit)d threads an hour.",
            limit,
        )
        if thread
        else ngettext(
            "You can post %(limit)d reply a minute.",
            "You can post %(limit)d replies a minute.",
            limit,
        )
    )
    again = _("You can post again in %(wait)s.") % {"wait": wait_text(wait)}
    return PostingLimitError(f"{what % {'limit': limit}} {again}", retry_after=wait)


def _take_rate(slots: Slots, user, *, thread: bool) -> None:
    limit, window, name = _rate(user, thread=thread)
    wait = _take_window(slots, name=name, user_id=user.pk, limit=limit, window=window)
    if wait is not None:
        raise _rate_error(thread=thread, limit=limit, wait=wait)


def _slow_mode_error(seconds: int, left: float) -> PostingLimitError:
    return PostingLimitError(
        _(
            "This thread is in slow mode: one reply every %(interval)s. "
            "You can reply again in %(wait)s."
        )
        % {"interval": wait_text(seconds), "wait": wait_text(left)},
        retry_after=math.ceil(left),
    )


def _take_slow_mode(slots: Slots, user, thread: Thread) -> None:
    seconds = thread.slow_mode_seconds
    if not seconds:
        return
    left = _take_once(slots, key=f"{PREFIX}:slow:{thread.pk}:{user.pk}", seconds=seconds)
    if left is not None:
        raise _slow_mode_error(seconds, left)


# The same rules counted from the database, while the cache is unreachable ----------


def _since(moment) -> float:
    return (timezone.now() - moment).total_seconds()


def _check_slow_mode_in_database(user, thread: Thread) -> None:
    seconds = thread.slow_mode_seconds
    if not seconds:
        return
    last = (
        Post.objects.filter(author=user, thread=thread)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is not None and _since(last) < seconds:
        raise _slow_mode_error(seconds, seconds - _since(last))


def _check_duplicate_in_database(user, body: str) -> None:
    minutes = _rules()["DUPLICATE_POST_MINUTES"]
    if not minutes:
        return
    recent = Post.objects.filter(
        author=user, created_at__gte=timezone.now() - timedelta(minutes=minutes)
    ).values_list("source", "created_at")[:50]
    text = _normalised(body)
    for source, created_at in recent:
        if _normalised(source) == text:
            raise _duplicate_error(minutes * 60 - _since(created_at))


def _check_first_day_in_database(user, *, thread: bool) -> None:
    if not in_first_day(user):
        return
    rules = _rules()
    cap = rules["FIRST_DAY_THREADS"] if thread else rules["FIRST_DAY_REPLIES"]
    if _first_day_count(user, thread=thread) >= cap:
        raise _first_day_error(thread=thread, cap=cap, left=_first_day_left(user))


def _check_rate_in_database(user, *, thread: bool) -> None:
    """A sliding window over the member's own rows (the cache's is a fixed one)."""
    limit, window, _name = _rate(user, thread=thread)
    since = timezone.now() - timedelta(seconds=window)
    rows = (
        Thread.objects.filter(author=user, created_at__gte=since)
        if thread
        else Post.objects.filter(author=user, created_at__gte=since).exclude(floor=1)
    )
    latest = list(rows.order_by("-created_at").values_list("created_at", flat=True)[:limit])
    if len(latest) >= limit:
        raise _rate_error(
            thread=thread, limit=limit, wait=max(1, math.ceil(window - _since(latest[-1])))
        )


def _counted(slots: Slots, in_cache, in_database) -> None:
    """Take the counted rules in the cache; if it cannot be reached, count from the rows."""
    if cache_available():
        try:
            in_cache(slots)
        except CACHE_DOWN:
            pass  # counted from the database below
        else:
            if cache_available():  # no call fell back to an empty answer
                return
        with contextlib.suppress(*CACHE_DOWN):
            slots.give_back()
        slots.taken.clear()
    logger.warning("posting limits: cache unreachable, counting from the database")
    in_database()


@contextmanager
def _held(take) -> Iterator[None]:
    """Take the slots, run the write, and give them back if the write fails."""
    slots = Slots()
    try:
        take(slots)
    except BaseException:
        slots.give_back()
        raise
    try:
        yield
    except BaseException:
        slots.give_back()
        raise


def thread_allowed(*, user: User, board: Board, body: str, attachments: Sequence = ()):
    """Context manager around writing a new thread; raises PostingLimitError on entry."""

    def in_cache(slots: Slots) -> None:
        _take_duplicate(slots, user, body)
        _take_first_day(slots, user, thread=True)
        _take_rate(slots, user, thread=True)

    def in_database() -> None:
        _check_duplicate_in_database(user, body)
        _check_first_day_in_database(user, thread=True)
        _check_rate_in_database(user, thread=True)

    def take(slots: Slots) -> None:
        if not _enabled() or is_exempt(user, board):
            return
        _check_content(user, board=board, body=body, attachments=attachments)
        _counted(slots, in_cache, in_database)

    return _held(take)


def reply_allowed(*, user: User, thread: Thread, body: str, attachments: Sequence = ()):
    """Context manager around writing a reply; raises PostingLimitError on entry."""
    enabled = _enabled()

    def in_cache(slots: Slots) -> None:
        _take_slow_mode(slots, user, thread)
        if enabled:
            _take_duplicate(slots, user, body)
            _take_first_day(slots, user, thread=False)
            _take_rate(slots, user, thread=False)

    def in_database() -> None:
        _check_slow_mode_in_database(user, thread)
        if enabled:
            _check_duplicate_in_database(user, body)
            _check_first_day_in_database(user, thread=False)
            _check_rate_in_database(user, thread=False)

    def take(slots: Slots) -> None:
        if is_exempt(user, thread.board_id):
            return
        if enabled:
            _check_content(user, board=thread.board_id, body=body, attachments=attachments)
        if enabled or thread.slow_mode_seconds:
            _counted(slots, in_cache, in_database)

    return _held(take)


def check_edit(*, user: User, post: Post, body: str) -> None:
    """An edit may not add what a new member's post may not hold (links, mentions)."""
    if _enabled() and not is_exempt(user, post.thread.board_id):
        _check_content(user, board=post.thread.board_id, body=body, attachments=())
