"""Poll pages for each role: the block on the thread page, voting by form (redirect) and
by htmx (the block), results before/after voting or closing, public voters and anonymous
votes never shown, closing, the new-thread form's poll, adding and editing, the cache, and
the pinned query counts."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from forum.models import Board, Poll, PollBallot, PollVote, Thread
from forum.services import polls_sync_all
from moderation import services as moderation_services
from moderation.models import AuditLog
from tests.factories import (
    BoardFactory,
    StaffFactory,
    UserFactory,
    bulk_users,
    make_thread,
    run_after_commit,
)
from tests.forum.polls_world import counts, make_poll, option_ids, vote
from tests.forum.test_query_counts import THREAD_PAGE_ANON, THREAD_PAGE_MEMBER

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _vote_url(poll):
    return reverse("forum:poll_vote", args=[poll.thread_id])


def _post_vote(client, poll, *positions, **extra):
    ids = option_ids(poll)
    return run_after_commit(
        lambda: client.post(_vote_url(poll), {"option": [ids[p - 1] for p in positions]}, **extra)
    )


def test_visitors_see_the_results_and_a_sign_in_link_but_no_vote_form(client):
    poll = make_poll()
    vote(poll, UserFactory(), 2)
    html = client.get(poll.thread.get_absolute_url()).content.decode()
    assert 'id="poll"' in html and "Which colour?" in html
    assert "<progress" in html and "1 vote" in html
    assert "Sign in to vote." in html
    assert _vote_url(poll) not in html
    # The cached anonymous copy refreshes its poll block from the small endpoint.
    assert f'hx-get="{reverse("forum:poll_block", args=[poll.thread_id])}"' in html


def test_a_member_votes_by_plain_form_and_is_sent_back_to_the_poll(client):
    poll = make_poll()
    member = UserFactory()
    client.force_login(member)
    response = _post_vote(client, poll, 3)
    assert response.status_code == 302
    assert response["Location"] == poll.thread.get_absolute_url() + "#poll"
    assert counts(poll) == (1, [0, 0, 1])
    page = client.get(poll.thread.get_absolute_url())
    assert page.context["poll_mine"] == {option_ids(poll)[2]}
    assert "My vote" in page.content.decode() and "Change my vote" in page.content.decode()


def test_an_htmx_vote_answers_the_block_alone(client):
    poll = make_poll(options=["A", "B", "C"], max_choices=2)
    client.force_login(UserFactory())
    response = _post_vote(client, poll, 1, 2, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith("<section")
    assert 'type="checkbox"' in html and "Take my vote back" in html
    assert counts(poll) == (1, [1, 1, 0])


def test_too_many_choices_is_a_field_message_not_a_500(client):
    poll = make_poll(options=["A", "B", "C"], max_choices=2)
    client.force_login(UserFactory())
    response = _post_vote(client, poll, 1, 2, 3)
    assert response.status_code == 400
    assert "Choose at most 2 options." in response.content.decode()
    response = client.post(_vote_url(poll), {"option": ["nope"]})
    assert response.status_code == 400
    toast = client.post(_vote_url(poll), {"option": []}, headers=HTMX)
    assert toast.status_code == 400 and "HX-Retarget" in toast
    assert "Choose an option." in toast.content.decode()
    assert counts(poll) == (0, [0, 0, 0])


def test_taking_the_vote_back_by_form(client):
    poll = make_poll()
    member = UserFactory()
    vote(poll, member, 1)
    client.force_login(member)
    url = reverse("forum:poll_unvote", args=[poll.thread_id])
    assert run_after_commit(lambda: client.post(url)).status_code == 302
    assert counts(poll) == (0, [0, 0, 0])


def test_results_after_voting_are_hidden_until_i_vote(client):
    poll = make_poll(results="on_vote")
    vote(poll, UserFactory(), 1)
    member = UserFactory()
    client.force_login(member)
    html = client.get(poll.thread.get_absolute_url()).content.decode()
    assert "The results are shown once you have voted." in html and "<progress" not in html
    _post_vote(client, poll, 2)
    html = client.get(poll.thread.get_absolute_url()).content.decode()
    assert "<progress" in html and "50%" in html


def test_results_on_close_are_hidden_from_voters_until_it_closes(client):
    poll = make_poll(results="on_close")
    member = UserFactory()
    client.force_login(member)
    _post_vote(client, poll, 1)
    html = client.get(poll.thread.get_absolute_url()).content.decode()
    assert "The results are shown when the poll closes." in html and "<progress" not in html
    run_after_commit(
        lambda: moderation_services.poll_close(poll=poll, thread=poll.thread, actor=StaffFactory())
    )
    html = client.get(poll.thread.get_absolute_url()).content.decode()
    assert "<progress" in html and "Closed" in html and _vote_url(poll) not in html


def test_a_public_polls_voters_are_listed_per_option_and_paged(client, settings):
    poll = make_poll(is_public=True)
    voters = [UserFactory(username=f"fan{i}") for i in range(3)]
    for voter in voters:
        vote(poll, voter, 1)
    first = option_ids(poll)[0]
    url = reverse("forum:poll_voters", args=[poll.thread_id, first])
    html = client.get(poll.thread.get_absolute_url()).content.decode()
    assert url in html
    from forum.selectors import polls as poll_selectors

    page = client.get(url)
    assert [v["user_name"] for v in page.context["voters"]] == ["fan0", "fan1", "fan2"]
    settings_size = poll_selectors.VOTERS_PER_PAGE
    poll_selectors.VOTERS_PER_PAGE = 2
    try:
        rows, after = poll_selectors.option_voters(first, size=2)
        assert [r["user_name"] for r in rows] == ["fan0", "fan1"]
        more = client.get(url, {"after": after}, headers=HTMX)
        assert [v["user_name"] for v in more.context["voters"]] == ["fan2"]
    finally:
        poll_selectors.VOTERS_PER_PAGE = settings_size


def test_an_anonymous_polls_voters_are_never_shown(client):
    poll = make_poll(is_public=False)
    voter = UserFactory(username="secretvoter")
    vote(poll, voter, 1)
    client.force_login(StaffFactory())
    html = client.get(poll.thread.get_absolute_url()).content.decode()
    assert "secretvoter" not in html and "Who voted" not in html
    url = reverse("forum:poll_voters", args=[poll.thread_id, option_ids(poll)[0]])
    assert client.get(url).status_code == 404


def _sanctioned(**fields) -> User:
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(**fields)
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize(
    "fields",
    [
        {"silenced_until": timezone.now() + timedelta(days=1), "silence_reason": "flame"},
        {"suspended_until": timezone.now() + timedelta(days=1), "suspension_reason": "spam"},
    ],
)
def test_silenced_and_suspended_members_are_told_why_and_nothing_counts(client, fields):
    poll = make_poll()
    client.force_login(_sanctioned(**fields))
    page = client.get(poll.thread.get_absolute_url()).content.decode()
    assert _vote_url(poll) not in page
    response = _post_vote(client, poll, 1)
    assert response.status_code == 302
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said and ("silenced" in said[0] or "suspended" in said[0])
    assert counts(poll) == (0, [0, 0, 0])
    assert _post_vote(client, poll, 1, headers=HTMX).status_code == 403


def test_members_who_cannot_see_the_board_cannot_vote_or_read(client):
    poll = make_poll(board=BoardFactory(visibility=Board.Visibility.STAFF), author=StaffFactory())
    client.force_login(UserFactory())
    assert _post_vote(client, poll, 1).status_code == 403
    assert client.get(reverse("forum:poll_block", args=[poll.thread_id])).status_code == 403
    assert counts(poll) == (0, [0, 0, 0])


def test_anonymous_posts_go_to_sign_in(client):
    poll = make_poll()
    response = client.post(_vote_url(poll), {"option": option_ids(poll)[:1]})
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_author_and_moderators_see_the_close_button_members_do_not(client):
    board = BoardFactory()
    moderator = UserFactory()
    moderation_services.moderator_add(user=moderator, board=board, actor=StaffFactory())
    poll = make_poll(board=board)
    close = reverse("moderation:poll_close", args=[poll.thread_id])
    for who, shown in [(poll.thread.author, True), (moderator, True), (UserFactory(), False)]:
        client.force_login(who)
        assert (close in client.get(poll.thread.get_absolute_url()).content.decode()) is shown
    client.force_login(UserFactory())
    assert client.post(close).status_code == 302
    poll.refresh_from_db()
    assert poll.closed_at is None
    client.force_login(moderator)
    assert run_after_commit(lambda: client.post(close)).status_code == 302
    poll.refresh_from_db()
    assert poll.closed_at is not None
    assert AuditLog.objects.filter(action="poll_close", actor=moderator).count() == 1


def test_the_author_closes_by_button(client):
    poll = make_poll()
    client.force_login(poll.thread.author)
    client.post(reverse("moderation:poll_close", args=[poll.thread_id]))
    poll.refresh_from_db()
    assert poll.closed_by_id == poll.thread.author_id
    assert not AuditLog.objects.filter(action="poll_close").exists()


def _new_thread(client, board, **poll_fields):
    data = {"title": "Which phone next?", "thread_type": "discussion", "body": "Tell me."}
    data.update({f"poll-{k}": v for k, v in poll_fields.items()})
    return client.post(reverse("forum:thread_create", args=[board.slug]), data)


def test_a_new_thread_starts_with_a_poll_from_its_form(client, member_client, board):
    page = member_client.get(reverse("forum:thread_create", args=[board.slug])).content.decode()
    assert 'name="poll-question"' in page and 'name="poll-options"' in page
    response = _new_thread(
        member_client,
        board,
        question="Next phone?",
        options="Mix\nFold\n\nFlip\n",
        max_choices=2,
        results="on_vote",
        is_public="on",
    )
    assert response.status_code == 302
    poll = Poll.objects.get(thread__title="Which phone next?")
    assert [o.text for o in poll.options.all()] == ["Mix", "Fold", "Flip"]
    assert (poll.max_choices, poll.results, poll.is_public) == (2, "on_vote", True)


def test_a_new_thread_without_a_question_has_no_poll(member_client, board):
    assert _new_thread(member_client, board, question="", options="").status_code == 302
    thread = Thread.objects.get(title="Which phone next?")
    assert not thread.has_poll and not Poll.objects.exists()


def test_a_bad_poll_on_the_new_thread_form_is_a_field_error_and_writes_nothing(
    member_client, board
):
    response = _new_thread(member_client, board, question="Q?", options="Only one", max_choices=1)
    assert response.status_code == 200
    assert "Give at least 2 options." in response.content.decode()
    assert not Thread.objects.exists()
    response = _new_thread(member_client, board, question="Q?", options="A\nB", max_choices=3)
    assert response.context["poll_form"].errors["max_choices"]
    assert not Thread.objects.exists()


def test_the_author_adds_a_poll_to_a_thread_and_others_may_not(client):
    thread = make_thread()
    url = reverse("forum:poll_edit", args=[thread.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(thread.author)
    assert url in client.get(thread.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"question": "Q?", "options": "A\nB", "max_choices": 1, "results": "always"}
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.has_poll


def test_the_author_edits_until_the_first_vote(client):
    poll = make_poll()
    url = reverse("forum:poll_edit", args=[poll.thread_id])
    client.force_login(poll.thread.author)
    data = {"question": "Better?", "options": "X\nY", "max_choices": 1, "results": "always"}
    assert client.post(url, data).status_code == 302
    poll.refresh_from_db()
    assert poll.question == "Better?"
    vote(poll, UserFactory(), 1)
    response = client.post(url, {**data, "question": "Again?"})
    assert response.status_code == 400 and "Members have voted" in response.content.decode()


def test_a_vote_does_not_bump_the_thread_page_but_the_poll_block_is_current(client):
    poll = make_poll()
    thread_url = poll.thread.get_absolute_url()
    first = client.get(thread_url).content
    run_after_commit(lambda: vote(poll, UserFactory(), 1))
    # The whole anonymous page is still the cached copy (no thread version bump)...
    assert client.get(thread_url).content == first
    # ...and the poll block it refreshes from shows the vote.
    block = client.get(reverse("forum:poll_block", args=[poll.thread_id]), headers=HTMX)
    assert block.context["poll"].voter_count == 1 and "1 vote" in block.content.decode()
    assert "hx-trigger" not in block.content.decode()  # current: it does not ask again


def test_the_poll_page_without_htmx_is_a_whole_page(client):
    poll = make_poll()
    response = client.get(reverse("forum:poll_block", args=[poll.thread_id]))
    assert response.status_code == 200 and "<html" in response.content.decode()
    assert client.get(reverse("forum:poll_block", args=[make_thread().pk])).status_code == 404


def _voted_poll(options: int, voters: int, *, is_public=True) -> Poll:
    poll = make_poll(
        options=[f"Option {i}" for i in range(options)], max_choices=options, is_public=is_public
    )
    ids = option_ids(poll)
    ballots = PollBallot.objects.bulk_create(
        PollBallot(poll=poll, user=u) for u in bulk_users(voters)
    )
    PollVote.objects.bulk_create(
        PollVote(
            ballot=b, poll=poll, option_id=i, user_id=b.user_id, user_name="x", is_single=False
        )
        for b in ballots
        for i in ids
    )
    polls_sync_all()
    return poll


# The poll (1) and its options (1), once per poll version (then from the cache).
POLL_SNAPSHOT = 2
# My choices: one query on (user, poll).
POLL_MINE = 1


@pytest.mark.parametrize(("options", "voters"), [(2, 1), (20, 60)])
def test_thread_page_with_a_poll_pins_its_queries(
    client, member, django_assert_num_queries, options, voters
):
    poll = _voted_poll(options, voters)
    url = poll.thread.get_absolute_url()
    with django_assert_num_queries(THREAD_PAGE_ANON + POLL_SNAPSHOT):
        client.get(url)
    client.force_login(member)
    with django_assert_num_queries(THREAD_PAGE_MEMBER + POLL_MINE):  # snapshot cached
        response = client.get(url)
    assert len(response.context["poll"].options) == options


@pytest.mark.parametrize(("options", "voters"), [(2, 1), (20, 60)])
def test_poll_block_and_voters_pin_their_queries(
    client, member, django_assert_num_queries, options, voters
):
    poll = _voted_poll(options, voters)
    block = reverse("forum:poll_block", args=[poll.thread_id])
    voters_url = reverse("forum:poll_voters", args=[poll.thread_id, option_ids(poll)[0]])
    with django_assert_num_queries(1 + POLL_SNAPSHOT):  # the thread, then the snapshot
        client.get(block, headers=HTMX)
    with django_assert_num_queries(1):  # the snapshot from the cache
        client.get(block, headers=HTMX)
    with django_assert_num_queries(2):  # the thread and one page of voters
        client.get(voters_url, headers=HTMX)
