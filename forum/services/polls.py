"""Polls (投票): a thread's poll, votes and changes of vote, closing, the repair path.

The rules live in constraints: one PollBallot per member and poll; one PollVote
per member and option, and in a single-choice poll one per member and poll.
A vote locks the poll's row first (SELECT … FOR UPDATE), so it is served after
a close or an edit that started before it, never half-way; the counters
(option.vote_count, poll.voter_count) move with F() in the same transaction as
the rows, and poll_sync_counters recounts them (hooked into
thread_sync_counters, so `manage.py sync_counters` and the board task repair
polls too). A vote bumps only the poll's cache version, never the thread's page
(see forum.selectors.polls for why).
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from forum import caching
from forum.models import Board, Poll, PollBallot, PollOption, PollResults, PollVote, Thread
from forum.permissions import poll_author_denied_reason, poll_vote_denied_reason
from forum.services.threads import thread_create

MIN_OPTIONS = 2
MAX_OPTIONS = 20
QUESTION_MAX_LENGTH = 200
OPTION_MAX_LENGTH = 100


@dataclass(frozen=True)
class PollSpec:
    """A poll's settings, cleaned: what poll_create and poll_edit write."""

    question: str
    options: tuple[str, ...]
    max_choices: int
    closes_at: datetime | None
    results: str
    is_public: bool


def _one_line(text) -> str:
    return " ".join(str(text or "").split())


def poll_clean(
    *,
    question: str,
    options,
    max_choices: int = 1,
    closes_at: datetime | None = None,
    results: str = PollResults.ALWAYS,
    is_public: bool = False,
    now: datetime | None = None,
) -> PollSpec:
    """Check a poll's settings, every field at once (ValidationError by field)."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    question = _one_line(question)
    if not question:
        errors["question"] = [_("Ask a question.")]
    elif len(question) > QUESTION_MAX_LENGTH:
        errors["question"] = [
            _("Keep the question under %(n)d characters.") % {"n": QUESTION_MAX_LENGTH}
        ]
    if isinstance(options, str):
        options = options.splitlines()
    cleaned = [_one_line(o) for o in options or []]
    cleaned = [o for o in cleaned if o]
    if len(cleaned) < MIN_OPTIONS:
        errors["options"] = [_("Give at least %(n)d options.") % {"n": MIN_OPTIONS}]
    elif len(cleaned) > MAX_OPTIONS:
        errors["options"] = [_("Give at most %(n)d options.") % {"n": MAX_OPTIONS}]
    elif any(len(o) > OPTION_MAX_LENGTH for o in cleaned):
        errors["options"] = [
            _("Keep each option under %(n)d characters.") % {"n": OPTION_MAX_LENGTH}
        ]
    elif len({o.casefold() for o in cleaned}) != len(cleaned):
        errors["options"] = [_("Each option must be different.")]
    try:
        max_choices = int(max_choices)
    except (TypeError, ValueError):
        max_choices = 0
    if max_choices < 1 or (cleaned and "options" not in errors and max_choices > len(cleaned)):
        errors["max_choices"] = [_("Allow from one choice up to the number of options.")]
    if closes_at is not None and closes_at <= now:
        errors["closes_at"] = [_("A poll closes in the future.")]
    if results not in PollResults.values:
        errors["results"] = [_("Choose when the results are shown.")]
    if errors:
        raise ValidationError(errors)
    return PollSpec(
        question=question,
        options=tuple(cleaned),
        max_choices=max_choices,
        closes_at=closes_at,
        results=results,
        is_public=bool(is_public),
    )


def _write_options(poll: Poll, options: tuple[str, ...]) -> None:
    PollOption.objects.bulk_create(
        PollOption(poll=poll, position=i, text=text) for i, text in enumerate(options, start=1)
    )


def _poll_write(*, thread: Thread, spec: PollSpec) -> Poll:
    try:
        with transaction.atomic():
            poll = Poll.objects.create(
                thread=thread,
                question=spec.question,
                max_choices=spec.max_choices,
                closes_at=spec.closes_at,
                results=spec.results,
                is_public=spec.is_public,
            )
    except IntegrityError:
        raise ValidationError(_("This thread has a poll already.")) from None
    _write_options(poll, spec.options)
    Thread.objects.filter(pk=thread.pk).update(has_poll=True)
    thread.has_poll = True
    # Adding a poll changes the thread's page once (a vote never does).
    caching.bump_on_commit(caching.thread_scope(thread.pk), caching.poll_scope(thread.pk))
    return poll


def thread_create_with_poll(
    *, board: Board, author: User, title: str, body: str, poll: PollSpec, **thread_fields
) -> Thread:
    """Start a thread with its poll, in one transaction (poll cleaned by poll_clean)."""
    with transaction.atomic():
        thread = thread_create(board=board, author=author, title=title, body=body, **thread_fields)
        _poll_write(thread=thread, spec=poll)
    return thread


def poll_create(*, thread: Thread, actor: User, spec: PollSpec) -> Poll:
    """Add a poll to a thread (its author, once)."""
    denied = poll_author_denied_reason(actor, thread)
    if denied:
        raise PermissionDenied(denied)
    with transaction.atomic():
        return _poll_write(thread=thread, spec=spec)


def _locked(poll: Poll | int) -> Poll:
    pk = poll if isinstance(poll, int) else poll.pk
    try:
        return Poll.objects.select_for_update().get(pk=pk)
    except Poll.DoesNotExist:
        raise ValidationError(_("No such poll.")) from None


def poll_edit(*, poll: Poll, thread: Thread, actor: User, spec: PollSpec) -> Poll:
    """Change a poll's question, options and settings: its author, before any vote."""
    denied = poll_author_denied_reason(actor, thread)
    if denied:
        raise PermissionDenied(denied)
    with transaction.atomic():
        locked = _locked(poll)  # a vote waits for this lock, so none slips in
        if locked.closed_at is not None:
            raise ValidationError(_("This poll is closed."))
        if PollBallot.objects.filter(poll=locked).exists():
            raise ValidationError(_("Members have voted: the poll can no longer be changed."))
        PollOption.objects.filter(poll=locked).delete()
        _write_options(locked, spec.options)
        Poll.objects.filter(pk=locked.pk).update(
            question=spec.question,
            max_choices=spec.max_choices,
            closes_at=spec.closes_at,
            results=spec.results,
            is_public=spec.is_public,
        )
        caching.bump_on_commit(caching.thread_scope(thread.pk), caching.poll_scope(thread.pk))
    locked.refresh_from_db()
    return locked


def _clean_choices(poll: Poll, option_ids) -> list[int]:
    try:
        chosen = sorted({int(i) for i in option_ids or []})
    except (TypeError, ValueError):
        chosen = []
    if not chosen:
        raise ValidationError({"options": [_("Choose an option.")]})
    if len(chosen) > poll.max_choices:
        raise ValidationError(
            {
                "options": [
                    ngettext(
                        "Choose at most %(n)d option.",
                        "Choose at most %(n)d options.",
                        poll.max_choices,
                    )
                    % {"n": poll.max_choices}
                ]
            }
        )
    valid = set(PollOption.objects.filter(poll=poll, pk__in=chosen).values_list("pk", flat=True))
    if len(valid) != len(chosen):
        raise ValidationError({"options": [_("Choose among this poll's options.")]})
    return chosen


def poll_vote(*, poll: Poll, thread: Thread, user: User, option_ids, now=None) -> list[int]:
    """Vote, or change my vote, while the poll is open; returns the options now chosen.

    In one transaction: my ballot is taken (the constraint decides whether it is my
    first vote), my old choices are deleted and their counts taken back with F(),
    the new ones inserted and counted.
    """
    with transaction.atomic():
        locked = _locked(poll)
        denied = poll_vote_denied_reason(user, thread, locked, now=now)
        if denied:
            raise PermissionDenied(denied)
        chosen = _clean_choices(locked, option_ids)
        try:
            with transaction.atomic():  # a savepoint: a ballot of mine already there is fine
                ballot = PollBallot.objects.create(poll=locked, user=user)
            first = True
        except IntegrityError:
            ballot = PollBallot.objects.select_for_update().get(poll=locked, user=user)
            first = False
        if not first:
            old = list(PollVote.objects.filter(ballot=ballot).values_list("option_id", flat=True))
            if sorted(old) == chosen:
                return chosen  # the same choices again: nothing to do
            PollVote.objects.filter(ballot=ballot).delete()
            PollOption.objects.filter(pk__in=old, vote_count__gt=0).update(
                vote_count=F("vote_count") - 1
            )
        PollVote.objects.bulk_create(
            PollVote(
                ballot=ballot,
                poll=locked,
                option_id=option_id,
                user=user,
                user_name=user.username,
                is_single=not locked.is_multiple,
            )
            for option_id in chosen
        )
        PollOption.objects.filter(pk__in=chosen).update(vote_count=F("vote_count") + 1)
        if first:
            Poll.objects.filter(pk=locked.pk).update(voter_count=F("voter_count") + 1)
        caching.bump_on_commit(caching.poll_scope(thread.pk))
    return chosen


def poll_unvote(*, poll: Poll, thread: Thread, user: User, now=None) -> bool:
    """Take my vote back while the poll is open; False when I had none."""
    with transaction.atomic():
        locked = _locked(poll)
        denied = poll_vote_denied_reason(user, thread, locked, now=now)
        if denied:
            raise PermissionDenied(denied)
        ballot = PollBallot.objects.select_for_update().filter(poll=locked, user=user).first()
        if ballot is None:
            return False
        old = list(PollVote.objects.filter(ballot=ballot).values_list("option_id", flat=True))
        ballot.delete()  # and its votes (CASCADE)
        PollOption.objects.filter(pk__in=old, vote_count__gt=0).update(
            vote_count=F("vote_count") - 1
        )
        Poll.objects.filter(pk=locked.pk, voter_count__gt=0).update(
            voter_count=F("voter_count") - 1
        )
        caching.bump_on_commit(caching.poll_scope(thread.pk))
    return True


def close_now(*, poll: Poll, thread: Thread, actor: User, now=None) -> bool:
    """Close a poll now; False when it was closed already. No permission check: the
    callers are poll_close (its author) and, through _moderation_unchecked.close_poll,
    moderation.services.poll_close (audited)."""
    now = now or timezone.now()
    closed = Poll.objects.filter(pk=poll.pk, closed_at__isnull=True).update(
        closed_at=now, closed_by=actor
    )
    if closed:
        poll.closed_at, poll.closed_by = now, actor
        caching.bump_on_commit(caching.thread_scope(thread.pk), caching.poll_scope(thread.pk))
    return bool(closed)


def poll_close(*, poll: Poll, thread: Thread, actor: User) -> bool:
    """Its author closes the poll (moderators go through moderation.services.poll_close)."""
    if not actor.is_authenticated or thread.author_id != actor.pk:
        raise PermissionDenied(_("Only the thread's author or a moderator can close its poll."))
    with transaction.atomic():
        return close_now(poll=poll, thread=thread, actor=actor)


def _recount(polls) -> int:
    per_option = (
        PollVote.objects.filter(option=OuterRef("pk"))
        .values("option")
        .annotate(n=Count("pk"))
        .values("n")
    )
    PollOption.objects.filter(poll__in=polls).update(vote_count=Coalesce(Subquery(per_option), 0))
    ballots = (
        PollBallot.objects.filter(poll=OuterRef("pk"))
        .values("poll")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Poll.objects.filter(pk__in=polls).update(voter_count=Coalesce(Subquery(ballots), 0))


def poll_sync_counters(*, thread_id: int) -> int:
    """Repair path: recount the thread's poll (voters, each option's votes) from the rows,
    set-based; returns polls touched (0 without a poll)."""
    with transaction.atomic():
        touched = _recount(Poll.objects.filter(thread_id=thread_id).values("pk"))
        if touched:
            caching.bump_on_commit(caching.poll_scope(thread_id))
    return touched


def polls_sync_all() -> int:
    """Repair path for every poll at once (set-based); returns polls touched."""
    touched = Q(voter_count__gt=0) | Q(pk__in=PollBallot.objects.values("poll_id"))
    with transaction.atomic():
        polls = Poll.objects.filter(touched)
        thread_ids = list(polls.values_list("thread_id", flat=True))
        count = _recount(polls.values("pk"))
        caching.bump_on_commit(*(caching.poll_scope(pk) for pk in thread_ids))
    return count
