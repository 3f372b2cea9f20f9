"""Polls for tests, made through the services."""

from datetime import timedelta

from django.utils import timezone

from forum import services
from forum.models import Poll
from tests.factories import BoardFactory, UserFactory


def make_poll(
    *,
    board=None,
    author=None,
    options=("Red", "Green", "Blue"),
    max_choices=1,
    closes_in: timedelta | None = None,
    results="always",
    is_public=False,
    question="Which colour?",
) -> Poll:
    spec = services.poll_clean(
        question=question,
        options=list(options),
        max_choices=max_choices,
        closes_at=timezone.now() + closes_in if closes_in else None,
        results=results,
        is_public=is_public,
    )
    thread = services.thread_create_with_poll(
        board=board or BoardFactory(),
        author=author or UserFactory(),
        title="A poll thread",
        body="Vote below.",
        poll=spec,
    )
    return Poll.objects.select_related("thread__board").get(thread=thread)


def option_ids(poll: Poll) -> list[int]:
    return list(poll.options.order_by("position").values_list("pk", flat=True))


def vote(poll: Poll, user, *positions: int) -> list[int]:
    """Vote for the options at these positions (1-based)."""
    ids = option_ids(poll)
    return services.poll_vote(
        poll=poll, thread=poll.thread, user=user, option_ids=[ids[p - 1] for p in positions]
    )


def counts(poll: Poll) -> tuple[int, list[int]]:
    poll.refresh_from_db()
    return poll.voter_count, list(
        poll.options.order_by("position").values_list("vote_count", flat=True)
    )
