""" "Me too" at once on PostgreSQL, each on its own connection."""

import pytest

from forum import services
from forum.models import Thread, ThreadType, ThreadVote
from moderation import services as moderation_services
from tests.factories import BoardFactory, StaffFactory, UserFactory, make_thread
from tests.utils import postgresql_only, run_at_once


def _bug():
    return make_thread(board=BoardFactory(), thread_type=ThreadType.BUG)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_same_member_saying_me_too_twice_at_once_counts_once():
    bug, member = _bug(), UserFactory()

    def vote(_n, wait):
        wait()
        return services.thread_vote(thread=bug, user=member, firmware_version="V14.0.3.0")

    results, errors = run_at_once(range(2), vote)

    assert errors == []
    assert sorted(results) == [False, True]
    assert ThreadVote.objects.filter(thread=bug).count() == 1
    assert Thread.objects.get(pk=bug.pk).vote_count == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_twenty_members_at_once_count_twenty():
    bug = _bug()
    members = [UserFactory() for _ in range(20)]

    def vote(member, wait):
        wait()
        return services.thread_vote(thread=bug, user=member)

    results, errors = run_at_once(members, vote)

    assert errors == [] and all(results)
    assert Thread.objects.get(pk=bug.pk).vote_count == 20 == bug.votes.count()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_votes_racing_a_duplicate_close_end_up_counted_once_on_the_original():
    board = BoardFactory()
    original = make_thread(board=board, thread_type=ThreadType.BUG)
    duplicate = make_thread(board=board, thread_type=ThreadType.BUG)
    staff = StaffFactory()
    members = [UserFactory() for _ in range(8)]
    for member in members[:4]:
        services.thread_vote(thread=duplicate, user=member)

    def act(item, wait):
        wait()
        if item == "close":
            return moderation_services.thread_mark_duplicate(
                thread=duplicate, original=original, actor=staff
            )
        try:
            return services.thread_vote(thread=duplicate, user=item)
        except Exception:  # noqa: BLE001 - refused once closed: vote on the original
            return services.thread_vote(thread=original, user=item)

    _results, errors = run_at_once(["close", *members[4:]], act)

    assert errors == []
    assert not ThreadVote.objects.filter(thread=duplicate).exists()
    voters = set(ThreadVote.objects.filter(thread=original).values_list("user", flat=True))
    assert voters == {m.pk for m in members} | {duplicate.author_id}
    assert Thread.objects.get(pk=original.pk).vote_count == len(voters)
    assert Thread.objects.get(pk=duplicate.pk).vote_count == 0
