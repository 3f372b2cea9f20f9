"""Votes at the same moment, on PostgreSQL: one member's two taps leave one ballot, and
twenty members voting at once leave exact counts."""

import pytest

from forum.models import Poll, PollBallot, PollVote
from tests.factories import UserFactory
from tests.forum.polls_world import counts, make_poll, option_ids, vote
from tests.utils import postgresql_only, run_at_once


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("max_choices", [1, 2])
def test_two_votes_at_once_by_one_member_leave_exactly_one(max_choices):
    poll = make_poll(max_choices=max_choices)
    member = UserFactory()

    def tap(position, wait):
        wait()
        return vote(Poll.objects.select_related("thread__board").get(pk=poll.pk), member, position)

    _results, errors = run_at_once([1, 2], tap)

    assert errors == []
    assert PollBallot.objects.filter(poll=poll, user=member).count() == 1
    assert PollVote.objects.filter(poll=poll, user=member).count() == 1
    voters, per_option = counts(poll)
    assert voters == 1 and sum(per_option) == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_twenty_members_voting_at_once_are_all_counted_exactly():
    poll = make_poll(options=["A", "B", "C"], max_choices=2)
    members = [UserFactory() for _ in range(20)]
    ids = option_ids(poll)

    def cast(index_member, wait):
        index, member = index_member
        wait()
        fresh = Poll.objects.select_related("thread__board").get(pk=poll.pk)
        return vote(fresh, member, 1, 2 if index % 2 else 3)

    results, errors = run_at_once(list(enumerate(members)), cast)

    assert errors == [] and len(results) == 20
    assert counts(poll) == (20, [20, 10, 10])
    assert PollVote.objects.filter(option_id=ids[0]).count() == 20
