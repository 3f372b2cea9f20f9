"""Polls through the services: settings checked by field, the constraints, changing and
taking back a vote, the most choices, closing (by time, author, moderator), the repair path."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from forum import services
from forum.models import Board, Poll, PollBallot, PollOption, PollVote
from moderation import services as moderation_services
from moderation.models import AuditLog
from tests.factories import BoardFactory, StaffFactory, UserFactory, make_thread
from tests.forum.polls_world import counts, make_poll, option_ids, vote

pytestmark = pytest.mark.django_db


def test_a_thread_starts_with_its_poll_and_options_in_order():
    poll = make_poll(options=["Yes", " Yes please ", "No"])
    assert poll.thread.has_poll
    assert [o.text for o in poll.options.order_by("position")] == ["Yes", "Yes please", "No"]
    assert poll.max_choices == 1 and not poll.is_multiple


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"question": "  "}, "question"),
        ({"options": ["Only one"]}, "options"),
        ({"options": ["Same", "same"]}, "options"),
        ({"options": [f"o{i}" for i in range(21)]}, "options"),
        ({"options": ["x" * 101, "y"]}, "options"),
        ({"max_choices": 4}, "max_choices"),
        ({"max_choices": 0}, "max_choices"),
        ({"max_choices": "many"}, "max_choices"),
        ({"closes_at": timezone.now() - timedelta(minutes=1)}, "closes_at"),
        ({"results": "sometimes"}, "results"),
    ],
)
def test_bad_settings_are_refused_by_field(fields, field):
    kwargs = {"question": "Q?", "options": ["A", "B", "C"], **fields}
    with pytest.raises(ValidationError) as caught:
        services.poll_clean(**kwargs)
    assert field in caught.value.message_dict


def test_options_may_come_as_lines_of_text():
    spec = services.poll_clean(question="Q?", options="A\n\n B \r\nC\n")
    assert spec.options == ("A", "B", "C")


def test_a_single_choice_vote_counts_once_and_a_change_moves_the_count():
    poll = make_poll()
    member = UserFactory()
    vote(poll, member, 1)
    assert counts(poll) == (1, [1, 0, 0])
    vote(poll, member, 3)
    assert counts(poll) == (1, [0, 0, 1])
    assert PollVote.objects.filter(poll=poll, user=member).count() == 1


def test_voting_the_same_again_changes_nothing():
    poll = make_poll()
    member = UserFactory()
    vote(poll, member, 2)
    vote(poll, member, 2)
    assert counts(poll) == (1, [0, 1, 0])


def test_a_single_choice_poll_refuses_two_options():
    poll = make_poll()
    with pytest.raises(ValidationError) as caught:
        vote(poll, UserFactory(), 1, 2)
    assert "options" in caught.value.message_dict
    assert counts(poll) == (0, [0, 0, 0])
    assert not PollBallot.objects.exists()


def test_a_multiple_choice_poll_takes_up_to_its_most_choices():
    poll = make_poll(options=["A", "B", "C", "D"], max_choices=2)
    member = UserFactory()
    vote(poll, member, 1, 3)
    assert counts(poll) == (1, [1, 0, 1, 0])
    with pytest.raises(ValidationError, match="at most 2"):
        vote(poll, member, 1, 2, 3)
    assert counts(poll) == (1, [1, 0, 1, 0])  # nothing half-written
    vote(poll, member, 2, 3)
    assert counts(poll) == (1, [0, 1, 1, 0])


@pytest.mark.parametrize("bad", [[], ["abc"], [None], [999_999]])
def test_no_choice_or_another_polls_option_is_a_field_error(bad):
    poll = make_poll()
    other = make_poll()
    if bad == [999_999]:
        bad = [option_ids(other)[0]]
    with pytest.raises(ValidationError) as caught:
        services.poll_vote(poll=poll, thread=poll.thread, user=UserFactory(), option_ids=bad)
    assert "options" in caught.value.message_dict


def test_the_database_refuses_a_second_row_for_one_member_and_option():
    poll = make_poll(max_choices=2)
    member = UserFactory()
    vote(poll, member, 1)
    ballot = PollBallot.objects.get(poll=poll, user=member)
    first = option_ids(poll)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        PollVote.objects.create(
            ballot=ballot, poll=poll, option_id=first, user=member, user_name="x", is_single=False
        )


def test_the_database_refuses_two_options_for_one_member_in_a_single_choice_poll():
    poll = make_poll()
    member = UserFactory()
    vote(poll, member, 1)
    ballot = PollBallot.objects.get(poll=poll, user=member)
    second = option_ids(poll)[1]
    with pytest.raises(IntegrityError), transaction.atomic():
        PollVote.objects.create(
            ballot=ballot, poll=poll, option_id=second, user=member, user_name="x", is_single=True
        )


def test_the_database_refuses_a_second_ballot():
    poll = make_poll()
    member = UserFactory()
    PollBallot.objects.create(poll=poll, user=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        PollBallot.objects.create(poll=poll, user=member)


def test_taking_a_vote_back_takes_back_its_counts():
    poll = make_poll(options=["A", "B", "C"], max_choices=3)
    member, other = UserFactory(), UserFactory()
    vote(poll, member, 1, 2)
    vote(poll, other, 2)
    assert services.poll_unvote(poll=poll, thread=poll.thread, user=member)
    assert counts(poll) == (1, [0, 1, 0])
    assert not services.poll_unvote(poll=poll, thread=poll.thread, user=member)
    assert counts(poll) == (1, [0, 1, 0])


def test_no_vote_after_the_closing_time():
    poll = make_poll(closes_in=timedelta(hours=1))
    member = UserFactory()
    vote(poll, member, 1)
    later = timezone.now() + timedelta(hours=2)
    ids = option_ids(poll)
    with pytest.raises(PermissionDenied, match="closed"):
        services.poll_vote(
            poll=poll, thread=poll.thread, user=member, option_ids=[ids[1]], now=later
        )
    with pytest.raises(PermissionDenied, match="closed"):
        services.poll_unvote(poll=poll, thread=poll.thread, user=member, now=later)
    assert counts(poll) == (1, [1, 0, 0])


def test_the_author_closes_the_poll_and_nobody_votes_after():
    poll = make_poll()
    assert services.poll_close(poll=poll, thread=poll.thread, actor=poll.thread.author)
    assert not services.poll_close(poll=poll, thread=poll.thread, actor=poll.thread.author)
    with pytest.raises(PermissionDenied, match="closed"):
        vote(poll, UserFactory(), 1)
    assert not AuditLog.objects.exists()  # the author's own poll: not a moderation action


def test_a_moderator_closing_a_poll_is_audited_and_a_member_may_not():
    poll = make_poll()
    with pytest.raises(PermissionDenied):
        moderation_services.poll_close(poll=poll, thread=poll.thread, actor=UserFactory())
    staff = StaffFactory()
    assert moderation_services.poll_close(
        poll=poll, thread=poll.thread, actor=staff, reason="Off topic"
    )
    row = AuditLog.objects.get()
    assert (row.action, row.target_id, row.actor_id) == ("poll_close", poll.thread_id, staff.pk)
    assert row.after == {"poll_closed": True}
    poll.refresh_from_db()
    assert poll.closed_by_id == staff.pk


def test_a_board_moderator_may_close_and_the_author_closes_unaudited_via_moderation():
    board = BoardFactory()
    moderator = UserFactory()
    moderation_services.moderator_add(user=moderator, board=board, actor=StaffFactory())
    poll = make_poll(board=board)
    author = User.objects.get(pk=poll.thread.author_id)
    assert moderation_services.poll_close(poll=poll, thread=poll.thread, actor=author)
    assert not AuditLog.objects.filter(action="poll_close").exists()
    other = make_poll(board=board)
    assert moderation_services.poll_close(poll=other, thread=other.thread, actor=moderator)
    assert AuditLog.objects.filter(action="poll_close").count() == 1


def _sanction(user, **fields) -> User:
    User.objects.filter(pk=user.pk).update(**fields)
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize(
    "fields",
    [
        {"silenced_until": timezone.now() + timedelta(days=1), "silence_reason": "flame"},
        {"suspended_until": timezone.now() + timedelta(days=1), "suspension_reason": "spam"},
    ],
)
def test_silenced_and_suspended_members_cannot_vote(fields):
    poll = make_poll()
    member = _sanction(UserFactory(), **fields)
    with pytest.raises(PermissionDenied):
        vote(poll, member, 1)
    assert counts(poll) == (0, [0, 0, 0])


def test_members_who_cannot_see_the_board_cannot_vote():
    poll = make_poll(board=BoardFactory(visibility=Board.Visibility.STAFF), author=StaffFactory())
    with pytest.raises(PermissionDenied, match="cannot see"):
        vote(poll, UserFactory(), 1)


def test_votes_in_a_locked_thread_are_refused():
    poll = make_poll()
    moderation_services.thread_lock(thread=poll.thread, actor=StaffFactory())
    poll.thread.refresh_from_db()
    with pytest.raises(PermissionDenied):
        vote(poll, UserFactory(), 1)


def test_the_author_adds_a_poll_to_a_thread_once_and_only_the_author():
    thread = make_thread()
    spec = services.poll_clean(question="Q?", options=["A", "B"])
    with pytest.raises(PermissionDenied):
        services.poll_create(thread=thread, actor=UserFactory(), spec=spec)
    services.poll_create(thread=thread, actor=thread.author, spec=spec)
    thread.refresh_from_db()
    assert thread.has_poll
    with pytest.raises(ValidationError, match="already"):
        services.poll_create(thread=thread, actor=thread.author, spec=spec)


def test_the_author_edits_the_poll_until_the_first_vote():
    poll = make_poll()
    author = poll.thread.author
    spec = services.poll_clean(question="New?", options=["X", "Y"], max_choices=2)
    edited = services.poll_edit(poll=poll, thread=poll.thread, actor=author, spec=spec)
    assert (edited.question, edited.max_choices) == ("New?", 2)
    assert [o.text for o in edited.options.order_by("position")] == ["X", "Y"]
    vote(edited, UserFactory(), 1)
    with pytest.raises(ValidationError, match="voted"):
        services.poll_edit(poll=edited, thread=poll.thread, actor=author, spec=spec)
    with pytest.raises(PermissionDenied):
        services.poll_edit(poll=edited, thread=poll.thread, actor=UserFactory(), spec=spec)


def test_the_repair_path_recounts_polls_from_the_rows():
    poll = make_poll(max_choices=2)
    vote(poll, UserFactory(), 1, 2)
    vote(poll, UserFactory(), 2)
    Poll.objects.filter(pk=poll.pk).update(voter_count=99)
    PollOption.objects.filter(poll=poll).update(vote_count=7)
    services.thread_sync_counters(thread=poll.thread)
    assert counts(poll) == (2, [1, 2, 0])
    Poll.objects.filter(pk=poll.pk).update(voter_count=0)
    assert services.polls_sync_all() == 1
    assert counts(poll) == (2, [1, 2, 0])


def test_sync_counters_command_repairs_polls(capsys):
    from django.core.management import call_command

    poll = make_poll()
    vote(poll, UserFactory(), 3)
    PollOption.objects.filter(poll=poll).update(vote_count=5)
    call_command("sync_counters")
    assert counts(poll) == (1, [0, 0, 1])
