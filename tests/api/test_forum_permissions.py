"""The pages' role x action matrix over the API: anonymous, member, suspended member,
board moderator and staff. A denial is 401/403 (with the page's reason) or 404, and
changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum import services
from forum.models import Board, BoardWatch, Post, PostLike, Thread, ThreadWatch
from forum.permissions import edit_denied_reason, reply_denied_reason
from moderation.models import Report
from tests.api.conftest import suspend, token_client
from tests.factories import BoardFactory, StaffFactory, UserFactory, make_thread

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "suspended", "moderator", "staff")


@pytest.fixture
def people(board, moderator):
    return {
        "member": UserFactory(),
        "suspended": suspend(UserFactory()),
        "moderator": moderator,
        "staff": StaffFactory(),
    }


def _client(role, people, api):
    return api if role == "anonymous" else token_client(people[role])


def _rows():
    return (
        Thread.objects.count(),
        Post.objects.count(),
        PostLike.objects.count(),
        Report.objects.count(),
        ThreadWatch.objects.count(),
    )


def _check(response, expected: int, rows_before, *, reason: str | None = None):
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert set(response.json()) >= {"detail", "errors"}
        assert _rows() == rows_before, "a refused request changed something"
        if reason is not None:
            assert response.json()["detail"] == reason


# Starting threads -------------------------------------------------------------------------

START = {"anonymous": 401, "member": 201, "suspended": 403, "moderator": 201, "staff": 201}


@pytest.mark.parametrize("role", ROLES)
def test_start_a_thread(role, board, people, api):
    before = _rows()
    response = _client(role, people, api).post(
        f"/api/v1/boards/{board.slug}/threads/",
        {"title": "Camera crash", "body": "Since 14.0.3", "thread_type": "bug"},
        format="json",
    )
    _check(response, START[role], before)
    if START[role] == 201:
        thread = Thread.objects.get(pk=response.json()["id"])
        assert thread.thread_type == "bug" and thread.author == people[role]


STAFF_BOARD_START = {"member": 403, "moderator": 403, "staff": 201}


@pytest.mark.parametrize("role", STAFF_BOARD_START)
def test_only_staff_start_threads_in_a_staff_posting_board(role, board, people, api):
    Board.objects.filter(pk=board.pk).update(posting=Board.Posting.STAFF)
    before = _rows()
    response = _client(role, people, api).post(
        f"/api/v1/boards/{board.slug}/threads/", {"title": "News", "body": "Out"}, format="json"
    )
    reason = "Only staff can start threads in this board." if role != "staff" else None
    _check(response, STAFF_BOARD_START[role], before, reason=reason)


@pytest.mark.parametrize("role", ["anonymous", "member", "moderator"])
def test_a_staff_only_board_is_refused_as_on_the_page(role, people, api):
    hidden_board = BoardFactory(visibility=Board.Visibility.STAFF)
    before = _rows()
    client = _client(role, people, api)
    read = client.get(f"/api/v1/boards/{hidden_board.slug}/threads/")
    assert read.status_code == 403
    assert read.json()["detail"] == "You cannot see this board."
    write = client.post(
        f"/api/v1/boards/{hidden_board.slug}/threads/", {"title": "x", "body": "y"}, format="json"
    )
    _check(write, 401 if role == "anonymous" else 403, before)


def test_the_device_and_firmware_version_are_checked_as_on_the_page(board, people):
    client = token_client(people["member"])
    before = _rows()
    response = client.post(
        f"/api/v1/boards/{board.slug}/threads/",
        {"title": "x", "body": "y", "device": "no-such-phone", "firmware_version": "latest!"},
        format="json",
    )
    _check(response, 400, before)
    assert "device" in response.json()["errors"]
    response = client.post(
        f"/api/v1/boards/{board.slug}/threads/",
        {"title": "x", "body": "y", "firmware_version": "latest!"},
        format="json",
    )
    _check(response, 400, before)
    assert "V14.0.3.0" in response.json()["errors"]["firmware_version"][0]


# Replying -------------------------------------------------------------------------------

LOCKED_REPLY = {"anonymous": 401, "member": 403, "suspended": 403, "moderator": 201, "staff": 201}


@pytest.mark.parametrize("role", ROLES)
def test_reply_to_a_locked_thread(role, board, people, api):
    thread = make_thread(board=board)
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    thread.refresh_from_db()
    before = _rows()
    response = _client(role, people, api).post(
        f"/api/v1/threads/{thread.pk}/posts/", {"body": "Still broken"}, format="json"
    )
    reason = None
    if role in {"member", "suspended"}:
        reason = reply_denied_reason(people[role], thread)
    _check(response, LOCKED_REPLY[role], before, reason=reason)


def test_a_reply_quotes_a_post_of_its_thread_only(board, people):
    thread = make_thread(board=board)
    other = make_thread(board=board)
    client = token_client(people["member"])
    quoted = thread.posts.get(floor=1)
    response = client.post(
        f"/api/v1/threads/{thread.pk}/posts/",
        {"body": "Same", "quote_post_id": quoted.pk},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["source"].startswith(f"> **@{quoted.author_name}**")
    before = _rows()
    elsewhere = client.post(
        f"/api/v1/threads/{other.pk}/posts/",
        {"body": "Same", "quote_post_id": quoted.pk},
        format="json",
    )
    _check(elsewhere, 400, before)
    assert "quote_post_id" in elsewhere.json()["errors"]


# Editing --------------------------------------------------------------------------------

EDIT = {"anonymous": 401, "member": 403, "suspended": 403, "moderator": 200, "staff": 200}


@pytest.fixture
def authored(board):
    author = UserFactory()
    return author, make_thread(board=board, author=author, title="Old title")


@pytest.mark.parametrize("role", ROLES)
def test_edit_someone_elses_thread(role, authored, people, api):
    _author, thread = authored
    response = _client(role, people, api).patch(
        f"/api/v1/threads/{thread.pk}/", {"title": "New title", "thread_type": "bug"}, format="json"
    )
    assert response.status_code == EDIT[role], response.content
    thread.refresh_from_db()
    if EDIT[role] == 200:
        assert (thread.title, thread.thread_type) == ("New title", "bug")
        assert response.json()["title"] == "New title"
    else:
        assert (thread.title, thread.thread_type) == ("Old title", "discussion")
    if role == "member":
        opening = thread.posts.get(floor=1)
        assert response.json()["detail"] == edit_denied_reason(people["member"], opening)


def test_the_author_edits_within_the_window_and_not_after(authored, settings):
    author, thread = authored
    client = token_client(author)
    within = client.patch(f"/api/v1/threads/{thread.pk}/", {"thread_type": "bug"}, format="json")
    assert within.status_code == 200 and within.json()["thread_type"] == "bug"
    Post.objects.filter(thread=thread).update(created_at=timezone.now() - timedelta(days=2))
    settings.POPCORN = {**settings.POPCORN, "POST_EDIT_WINDOW_SECONDS": 60}
    late = client.patch(f"/api/v1/threads/{thread.pk}/", {"thread_type": "feedback"}, format="json")
    assert late.status_code == 403
    assert "within" in late.json()["detail"]
    thread.refresh_from_db()
    assert thread.thread_type == "bug"


@pytest.mark.parametrize("role", ROLES)
def test_edit_someone_elses_post(role, authored, people, api):
    _author, thread = authored
    post = thread.posts.get(floor=1)
    response = _client(role, people, api).patch(
        f"/api/v1/posts/{post.pk}/", {"body": "Edited"}, format="json"
    )
    assert response.status_code == EDIT[role], response.content
    post.refresh_from_db()
    assert (post.source == "Edited") == (EDIT[role] == 200)
    assert post.revisions.count() == (1 if EDIT[role] == 200 else 0)


REVISIONS = {"anonymous": 403, "member": 403, "suspended": 403, "moderator": 200, "staff": 200}


@pytest.mark.parametrize("role", ROLES)
def test_earlier_versions_are_for_the_author_and_moderators(role, authored, people, api):
    author, thread = authored
    post = thread.posts.get(floor=1)
    services.post_edit(post=post, editor=author, body="Second")
    response = _client(role, people, api).get(f"/api/v1/posts/{post.pk}/revisions/")
    assert response.status_code == REVISIONS[role]
    if response.status_code == 200:
        assert [r["old_source"] for r in response.json()["results"]] == ["It drains."]
    assert token_client(author).get(f"/api/v1/posts/{post.pk}/revisions/").status_code == 200


# Likes, reports, watching, reading ---------------------------------------------------------

LIKE = {"anonymous": 401, "member": 200, "suspended": 403, "moderator": 200, "staff": 200}


@pytest.mark.parametrize("role", ROLES)
def test_like_and_unlike(role, authored, people, api):
    _, thread = authored
    post = thread.posts.get(floor=1)
    client = _client(role, people, api)
    before = _rows()
    liked = client.post(f"/api/v1/posts/{post.pk}/like/")
    _check(liked, LIKE[role], before)
    if LIKE[role] == 200:
        assert liked.json() == {"liked": True, "like_count": 1}
        assert client.post(f"/api/v1/posts/{post.pk}/like/").json()["like_count"] == 1
        assert client.delete(f"/api/v1/posts/{post.pk}/like/").json() == {
            "liked": False,
            "like_count": 0,
        }


def test_nobody_likes_their_own_post(authored):
    author, thread = authored
    before = _rows()
    post = thread.posts.get(floor=1)
    response = token_client(author).post(f"/api/v1/posts/{post.pk}/like/")
    _check(response, 403, before, reason="You cannot like your own post.")


REPORT = {"anonymous": 401, "member": 201, "suspended": 403, "moderator": 201, "staff": 201}


@pytest.mark.parametrize("role", ROLES)
def test_report_a_post(role, authored, people, api):
    _, thread = authored
    post = thread.posts.get(floor=1)
    client = _client(role, people, api)
    before = _rows()
    response = client.post(f"/api/v1/posts/{post.pk}/report/", {"reason": "spam"}, format="json")
    _check(response, REPORT[role], before)
    if REPORT[role] == 201:
        again_before = _rows()
        again = client.post(f"/api/v1/posts/{post.pk}/report/", {"reason": "spam"}, format="json")
        _check(again, 409, again_before, reason="You have already reported this post.")


def test_a_report_of_something_else_needs_the_details(authored, people):
    _, thread = authored
    post = thread.posts.get(floor=1)
    before = _rows()
    response = token_client(people["member"]).post(
        f"/api/v1/posts/{post.pk}/report/", {"reason": "other"}, format="json"
    )
    _check(response, 400, before)
    assert "text" in response.json()["errors"]


WATCH = {"anonymous": 401, "member": 200, "suspended": 403, "moderator": 200, "staff": 200}


@pytest.mark.parametrize("role", ROLES)
def test_watch_and_unwatch_a_thread(role, authored, people, api):
    _, thread = authored
    client = _client(role, people, api)
    before = _rows()
    response = client.post(f"/api/v1/threads/{thread.pk}/watch/")
    _check(response, WATCH[role], before)
    if WATCH[role] == 200:
        user = people[role]
        assert ThreadWatch.objects.filter(thread=thread, user=user).exists()
        assert client.delete(f"/api/v1/threads/{thread.pk}/watch/").json() == {"watching": False}
        assert not ThreadWatch.objects.filter(thread=thread, user=user).exists()


@pytest.mark.parametrize("role", ROLES)
def test_mark_read_and_first_unread(role, authored, people, api):
    _, thread = authored
    for n in range(3):
        services.post_reply(thread=thread, author=UserFactory(), body=f"reply {n}")
    client = _client(role, people, api)
    response = client.post(f"/api/v1/threads/{thread.pk}/read/", {"floor": 2}, format="json")
    if role == "anonymous":
        assert response.status_code == 401
        assert client.get(f"/api/v1/threads/{thread.pk}/first-unread/").json() == {"floor": 1}
        return
    assert response.json() == {"last_read_floor": 2}
    # Never backwards: an earlier floor keeps the later one.
    client.post(f"/api/v1/threads/{thread.pk}/read/", {"floor": 1}, format="json")
    assert client.get(f"/api/v1/threads/{thread.pk}/first-unread/").json() == {"floor": 3}


@pytest.mark.parametrize("role", ROLES)
def test_watch_and_mark_a_board_read(role, board, people, api):
    client = _client(role, people, api)
    watched = client.post(f"/api/v1/boards/{board.slug}/watch/")
    read = client.post(f"/api/v1/boards/{board.slug}/read/")
    if role == "anonymous":
        assert watched.status_code == read.status_code == 401
        return
    if role == "suspended":
        # Suspended members may not start watching (as on the page); marking read is theirs.
        assert watched.status_code == 403 and "suspended" in watched.json()["detail"]
        assert not BoardWatch.objects.filter(board=board, user=people[role]).exists()
        assert read.status_code == 200
        return
    assert watched.json() == {"watching": True}
    assert read.status_code == 200 and read.json()["marked_read_at"]
    detail = client.get(f"/api/v1/boards/{board.slug}/").json()["viewer"]
    assert detail["watching"] is True and detail["marked_read_at"]
    assert client.delete(f"/api/v1/boards/{board.slug}/watch/").json() == {"watching": False}


# Hidden and pending things ---------------------------------------------------------------

HIDDEN_THREAD = {"anonymous": 404, "member": 404, "suspended": 404, "moderator": 200, "staff": 200}


@pytest.mark.parametrize("role", ROLES)
def test_a_hidden_thread_is_for_its_moderators(role, authored, people, api):
    _, thread = authored
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    response = _client(role, people, api).get(f"/api/v1/threads/{thread.pk}/")
    assert response.status_code == HIDDEN_THREAD[role]


@pytest.mark.parametrize("role", ROLES)
def test_a_hidden_post_keeps_its_floor_but_its_text_only_for_moderators(
    role, authored, people, api
):
    _, thread = authored
    reply = services.post_reply(thread=thread, author=UserFactory(), body="Spam link")
    Post.objects.filter(pk=reply.pk).update(is_hidden=True)
    posts = _client(role, people, api).get(f"/api/v1/threads/{thread.pk}/posts/").json()
    hidden = posts["results"][1]
    assert hidden["floor"] == 2 and hidden["is_hidden"] is True
    shown = role in {"moderator", "staff"}
    assert (hidden["source"] == "Spam link") == shown
    assert (hidden["html"] != "") == shown
