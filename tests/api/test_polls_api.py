"""Polls over the API: read (counts hidden until allowed), add and change, vote and change,
take back, the voters of public polls only, closing by author and moderators (audited),
every refusal a 4xx with field messages; query counts pinned."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum.models import Board, Poll
from moderation.models import AuditLog
from tests.api.conftest import suspend, token_client
from tests.factories import BoardFactory, StaffFactory, UserFactory, make_thread, run_after_commit
from tests.forum.polls_world import counts, make_poll, option_ids, vote

pytestmark = pytest.mark.django_db


def _url(poll_or_thread, tail=""):
    pk = getattr(poll_or_thread, "thread_id", None) or poll_or_thread.pk
    return f"/api/v1/threads/{pk}/poll/{tail}"


def test_anyone_reads_a_poll_and_counts_are_null_until_allowed(api):
    poll = make_poll(results="on_vote")
    vote(poll, UserFactory(), 1)
    body = api.get(_url(poll)).json()
    assert body["question"] == "Which colour?" and body["voter_count"] == 1
    assert body["results_visible"] is False
    assert [o["vote_count"] for o in body["options"]] == [None, None, None]
    assert body["vote_denied"] == "Sign in to vote."


def test_a_member_votes_changes_and_takes_back(member_api):
    poll = make_poll(options=["A", "B", "C"], max_choices=2)
    ids = option_ids(poll)
    first = run_after_commit(
        lambda: member_api.post(_url(poll, "vote/"), {"option_ids": ids[:2]}, format="json")
    )
    assert first.status_code == 200
    assert first.json()["my_choices"] == ids[:2]
    assert [o["vote_count"] for o in first.json()["options"]] == [1, 1, 0]
    changed = run_after_commit(
        lambda: member_api.post(_url(poll, "vote/"), {"option_ids": [ids[2]]}, format="json")
    )
    assert [o["vote_count"] for o in changed.json()["options"]] == [0, 0, 1]
    gone = run_after_commit(lambda: member_api.delete(_url(poll, "vote/")))
    assert gone.status_code == 200 and gone.json()["my_choices"] == []
    assert counts(poll) == (0, [0, 0, 0])


@pytest.mark.parametrize(
    "body",
    [{}, {"option_ids": []}, {"option_ids": ["x"]}, {"option_ids": [1, 2, 3]}, {"option_ids": [0]}],
)
def test_bad_votes_are_400_with_field_messages(member_api, body):
    poll = make_poll()
    if body.get("option_ids") == [1, 2, 3]:
        body = {"option_ids": option_ids(poll)}
    response = member_api.post(_url(poll, "vote/"), body, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) <= {"option_ids", "options"}
    assert counts(poll) == (0, [0, 0, 0])


def test_refusals_are_401_403_404(api, member):
    poll = make_poll(closes_in=timedelta(hours=1))
    ids = option_ids(poll)
    assert api.post(_url(poll, "vote/"), {"option_ids": ids[:1]}, format="json").status_code == 401
    suspended = token_client(member)
    suspend(member)
    assert (
        suspended.post(_url(poll, "vote/"), {"option_ids": ids[:1]}, format="json").status_code
        == 403
    )
    hidden = make_poll(board=BoardFactory(visibility=Board.Visibility.STAFF), author=StaffFactory())
    other = token_client(UserFactory())
    assert other.get(_url(hidden)).status_code == 403
    assert other.get(_url(make_thread())).status_code == 404
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    response = other.post(_url(poll, "vote/"), {"option_ids": ids[:1]}, format="json")
    assert response.status_code == 403 and "closed" in response.json()["detail"]


def test_the_author_adds_and_edits_a_poll_others_may_not(member):
    thread = make_thread(author=member)
    body = {"question": "Q?", "options": ["A", "B"], "max_choices": 1, "results": "on_close"}
    assert token_client(UserFactory()).post(_url(thread), body, format="json").status_code == 403
    author = token_client(member)
    created = author.post(_url(thread), body, format="json")
    assert created.status_code == 201 and created.json()["results"] == "on_close"
    assert author.post(_url(thread), body, format="json").status_code == 400
    bad = author.put(_url(thread), {**body, "options": ["A", "a"]}, format="json")
    assert bad.status_code == 400 and "options" in bad.json()["errors"]
    bad = author.put(_url(thread), {**body, "max_choices": 5}, format="json")
    assert bad.status_code == 400 and "max_choices" in bad.json()["errors"]
    edited = run_after_commit(
        lambda: author.put(_url(thread), {**body, "question": "New?"}, format="json")
    )
    assert edited.status_code == 200
    assert author.get(_url(thread)).json()["question"] == "New?"


def test_voters_are_listed_for_public_polls_only(api):
    public = make_poll(is_public=True)
    vote(public, UserFactory(username="loudfan"), 1)
    first = option_ids(public)[0]
    listed = api.get(_url(public, "voters/"), {"option": first})
    assert listed.status_code == 200
    assert [v["username"] for v in listed.json()["results"]] == ["loudfan"]
    assert api.get(_url(public, "voters/")).status_code == 400
    assert api.get(_url(public, "voters/"), {"option": 999999}).status_code == 404
    anonymous = make_poll(is_public=False)
    vote(anonymous, UserFactory(username="quietfan"), 1)
    response = api.get(_url(anonymous, "voters/"), {"option": option_ids(anonymous)[0]})
    assert response.status_code == 403
    assert "quietfan" not in api.get(_url(anonymous)).content.decode()


def test_closing_by_author_and_moderator_audited_for_the_moderator(member):
    poll = make_poll(author=member)
    assert token_client(UserFactory()).post(_url(poll, "close/")).status_code == 403
    response = token_client(member).post(_url(poll, "close/"))
    assert response.status_code == 200 and response.json()["is_closed"] is True
    assert not AuditLog.objects.filter(action="poll_close").exists()
    other = make_poll()
    staff = StaffFactory()
    response = token_client(staff).post(_url(other, "close/"), {"reason": "spam"}, format="json")
    assert response.status_code == 200
    assert AuditLog.objects.filter(action="poll_close", actor=staff).count() == 1


@pytest.mark.parametrize("options", [2, 20])
def test_reading_a_poll_pins_its_queries(api, django_assert_num_queries, options):
    poll = make_poll(options=[f"O{i}" for i in range(options)], max_choices=options)
    # The thread (1), then the poll and its options (2) on a cold cache.
    with django_assert_num_queries(3):
        api.get(_url(poll))
    with django_assert_num_queries(1):  # the thread; the poll from its cached snapshot
        api.get(_url(poll))


def test_a_thread_starts_with_its_poll_or_not_at_all(member):
    board, client = BoardFactory(), token_client(member)
    url = f"/api/v1/boards/{board.slug}/threads/"
    thread = {"title": "Which build?", "body": "Pick one."}
    poll = {"question": "Stable or beta?", "options": ["Stable", "Beta"], "max_choices": 1}
    started = run_after_commit(lambda: client.post(url, {**thread, "poll": poll}, format="json"))
    assert started.status_code == 201, started.json()
    created = Poll.objects.get(thread_id=started.json()["id"])
    assert [o.text for o in created.options.order_by("position")] == ["Stable", "Beta"]
    assert client.get(_url(created)).json()["question"] == "Stable or beta?"
    # A bad poll is the thread's 400: nothing is written.
    for bad in ({**poll, "options": ["Same", "same"]}, {**poll, "max_choices": 3}):
        refused = client.post(url, {**thread, "title": "Another", "poll": bad}, format="json")
        assert refused.status_code == 400 and refused.json()["errors"], refused.json()
    assert board.threads.count() == 1 and Poll.objects.count() == 1
