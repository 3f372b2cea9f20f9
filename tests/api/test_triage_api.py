"""The triage API: "me too" / votes, feedback status and duplicates by moderators, a bug
fixed in a release, the triage lists, similar threads, the board's votes sort and status
filter, with query counts pinned at 3 and 40 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Notification
from forum import services
from forum.models import Thread, ThreadType, ThreadVote
from moderation.models import AuditLog
from tests.api.conftest import token_client
from tests.factories import (
    BoardFactory,
    DeviceFactory,
    StaffFactory,
    UserFactory,
    bulk_threads,
    bulk_users,
    make_thread,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bug(board):
    return make_thread(board=board, thread_type=ThreadType.BUG, title="GPS drift 定位漂移")


def test_me_too_through_the_api_records_device_and_version_once(member_api, bug):
    DeviceFactory(codename="fuxi")
    url = f"/api/v1/threads/{bug.pk}/me-too/"
    body = {"device": "fuxi", "firmware_version": "V14.0.3.0"}
    first = member_api.post(url, body, format="json")
    again = member_api.post(url, body, format="json")
    assert first.status_code == again.status_code == 200
    assert again.json() == {"voted": True, "vote_count": 1}
    vote = ThreadVote.objects.get()
    assert (vote.device.codename, vote.firmware_version) == ("fuxi", "V14.0.3.0")
    taken_back = member_api.delete(url)
    assert taken_back.json() == {"voted": False, "vote_count": 0}


def test_bad_me_too_input_is_a_400_with_field_messages(member_api, bug):
    url = f"/api/v1/threads/{bug.pk}/me-too/"
    response = member_api.post(url, {"device": "nope", "firmware_version": "?"}, format="json")
    assert response.status_code == 400
    assert "device" in response.json()["errors"]
    response = member_api.post(url, {"firmware_version": "not a version"}, format="json")
    assert response.status_code == 400 and "firmware_version" in response.json()["errors"]
    assert not ThreadVote.objects.exists()


def test_me_too_on_your_own_or_a_discussion_is_a_403(board, bug):
    response = token_client(bug.author).post(f"/api/v1/threads/{bug.pk}/me-too/")
    assert response.status_code == 403
    talk = make_thread(board=board)
    response = token_client(UserFactory()).post(f"/api/v1/threads/{talk.pk}/me-too/")
    assert response.status_code == 403


def test_anonymous_me_too_is_a_401(api, bug):
    assert api.post(f"/api/v1/threads/{bug.pk}/me-too/").status_code == 401


def test_a_moderator_sets_feedback_status_and_closes_duplicates(board, moderator, bug):
    client = token_client(moderator)
    feedback = make_thread(board=board, thread_type=ThreadType.FEEDBACK)
    url = f"/api/v1/moderation/threads/{feedback.pk}/feedback-status/"
    response = client.post(url, {"status": "declined"}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    response = client.post(url, {"status": "declined", "reason": "Not now"}, format="json")
    assert response.status_code == 200
    assert response.json()["feedback_status"] == "declined"
    assert response.json()["status_reason"] == "Not now"

    original = make_thread(board=board, thread_type=ThreadType.BUG)
    services.thread_vote(thread=bug, user=UserFactory())
    url = f"/api/v1/moderation/threads/{bug.pk}/duplicate/"
    response = client.post(url, {"original": 2**31 - 1}, format="json")
    assert response.status_code == 400 and "original" in response.json()["errors"]
    response = client.post(url, {"original": original.pk, "reason": "Same"}, format="json")
    assert response.status_code == 200
    assert response.json()["duplicate_of_id"] == original.pk and response.json()["is_locked"]
    assert Thread.objects.get(pk=original.pk).vote_count == 2  # the voter and the reporter
    assert AuditLog.objects.filter(action=AuditLog.Action.THREAD_DUPLICATE).count() == 1


def test_a_member_cannot_use_the_moderators_triage_actions(member_api, bug):
    response = member_api.post(
        f"/api/v1/moderation/threads/{bug.pk}/duplicate/", {"original": bug.pk}, format="json"
    )
    assert response.status_code == 403


def test_fixed_in_a_release_through_the_api_notifies_the_me_too(
    board, moderator, bug, django_capture_on_commit_callbacks
):
    release = make_thread(board=board, thread_type=ThreadType.RELEASE, firmware_version="V14.0.4.0")
    voter = UserFactory()
    services.thread_vote(thread=bug, user=voter)
    client = token_client(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/moderation/threads/{bug.pk}/bug-status/",
            {"status": "fixed", "fixed_in_version": "V14.0.4.0", "release": release.pk},
            format="json",
        )
    assert response.status_code == 200
    assert response.json()["fixed_in_release_id"] == release.pk
    assert Notification.objects.filter(recipient=voter, title_key="forum.bug_fixed").exists()


def test_the_triage_api_is_for_staff_and_moderators(member_api, moderator):
    DeviceFactory(codename="houji")
    assert member_api.get("/api/v1/triage/").status_code == 403
    assert member_api.get("/api/v1/triage/houji/").status_code == 403
    client = token_client(moderator)
    assert client.get("/api/v1/triage/").status_code == 200
    assert client.get("/api/v1/triage/nope/").status_code == 404


def test_the_board_api_sorts_by_votes_and_filters_by_status(api, board, bug):
    quiet = make_thread(board=board, thread_type=ThreadType.BUG, title="Quiet")
    for user in (UserFactory(), UserFactory()):
        services.thread_vote(thread=bug, user=user)
    response = api.get(f"/api/v1/boards/{board.slug}/threads/?sort=votes&status=bug-open")
    assert [t["id"] for t in response.json()["results"]] == [bug.pk, quiet.pk]
    assert response.json()["results"][0]["vote_count"] == 2
    assert api.get(f"/api/v1/boards/{board.slug}/threads/?status=x").status_code == 400


def test_similar_threads_through_the_api(api, board):
    make_thread(board=board, title="Bluetooth drops in the car")
    response = api.get("/api/v1/similar-threads/", {"title": "bluetooth"})
    assert [t["title"] for t in response.json()] == ["Bluetooth drops in the car"]
    assert api.get("/api/v1/similar-threads/").status_code == 400


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


def _world(rows: int) -> str:
    device = DeviceFactory()
    threads = bulk_threads(BoardFactory(), rows)
    Thread.objects.filter(pk__in=[t.pk for t in threads]).update(thread_type=ThreadType.BUG)
    voters = bulk_users(rows)
    ThreadVote.objects.bulk_create(
        ThreadVote(thread=t, user=voters[n], device=device, firmware_version=f"V1.{n}")
        for i, t in enumerate(threads)
        for n in range(i + 1)
    )
    services.votes_sync_all()
    return device.codename


def test_triage_api_queries_are_the_same_for_3_and_40_bugs():
    client = token_client(StaffFactory())
    small, large = _world(3), _world(40)
    _queries(client, f"/api/v1/triage/{small}/")  # warm
    counts = {
        rows: _queries(client, f"/api/v1/triage/{codename}/")
        for rows, codename in ((3, small), (40, large))
    }
    # the token's session (2: found, loaded) and its user (1), the device (1), the
    # versions (1), the bugs with their boards (1)
    assert counts == {3: 6, 40: 6}
    # the same 3, the hits per device (1), those devices (1)
    assert _queries(client, "/api/v1/triage/") == 5


def test_board_threads_sorted_by_votes_queries_are_the_same_for_3_and_40(api):
    def board_url(rows):
        board = BoardFactory()
        bulk_threads(board, rows)
        return f"/api/v1/boards/{board.slug}/threads/?sort=votes&status=bug-open"

    small, large = board_url(3), board_url(40)
    _queries(api, small)
    assert _queries(api, small) == _queries(api, large)
