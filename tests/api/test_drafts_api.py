"""The drafts API: GET/PUT/DELETE per board and thread, my drafts, the preview."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from forum import services
from forum.models import Board, Draft, Post
from tests.factories import BoardFactory, DeviceFactory, UserFactory, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(member):
    client = APIClient()
    client.force_authenticate(member)
    return client


def test_put_get_delete_a_new_thread_draft(api, member, board):
    url = f"/api/v1/boards/{board.slug}/draft/"
    phone = DeviceFactory()
    put = api.put(
        url,
        {"title": "T", "body": "B", "device": phone.codename, "thread_type": "bug"},
        format="json",
    )
    assert put.status_code == 200, put.content
    assert put.json()["board"] == board.slug and put.json()["device"] == phone.codename
    got = api.get(url).json()
    assert (got["title"], got["body"], got["thread_id"]) == ("T", "B", None)
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404
    assert api.delete(url).status_code == 404


def test_put_a_reply_draft_and_an_empty_one_deletes_it(api, member):
    thread = make_thread()
    url = f"/api/v1/threads/{thread.pk}/draft/"
    assert api.put(url, {"body": "typing"}, format="json").json()["thread_id"] == thread.pk
    assert api.put(url, {"body": ""}, format="json").status_code == 204
    assert not Draft.objects.exists()


def test_bad_input_is_a_400_with_field_messages(api, board, settings):
    settings.POPCORN = {**settings.POPCORN, "POST_MAX_LENGTH": 3}
    url = f"/api/v1/boards/{board.slug}/draft/"
    response = api.put(url, {"body": "toolong"}, format="json")
    assert response.status_code == 400 and "body" in response.json()["errors"]
    response = api.put(url, {"body": "ok", "device": "nope"}, format="json")
    assert response.status_code == 400 and "device" in response.json()["errors"]
    assert api.put(url, {}, format="json").status_code == 400
    assert not Draft.objects.exists()


def test_silenced_members_cannot_save_but_can_read_and_discard(api, member, board):
    services.draft_save(user=member, board=board, body="before")
    User.objects.filter(pk=member.pk).update(
        silenced_until=timezone.now() + timedelta(days=1), silence_reason="flame"
    )
    api.force_authenticate(User.objects.get(pk=member.pk))
    url = f"/api/v1/boards/{board.slug}/draft/"
    assert api.put(url, {"body": "after"}, format="json").status_code == 403
    assert api.get(url).json()["body"] == "before"
    assert api.delete(url).status_code == 204


def test_anonymous_callers_are_401_everywhere(board):
    client = APIClient()
    thread = make_thread(board=board)
    for method, url in [
        ("get", f"/api/v1/boards/{board.slug}/draft/"),
        ("put", f"/api/v1/threads/{thread.pk}/draft/"),
        ("get", "/api/v1/drafts/"),
        ("post", "/api/v1/preview/"),
    ]:
        assert getattr(client, method)(url, {"body": "x"}, format="json").status_code == 401


def test_boards_and_threads_i_cannot_see_are_403_and_missing_ones_404(api):
    hidden = BoardFactory(visibility=Board.Visibility.STAFF)
    assert api.get(f"/api/v1/boards/{hidden.slug}/draft/").status_code == 403
    assert api.put(f"/api/v1/boards/{hidden.slug}/draft/", {"body": "x"}).status_code == 403
    assert api.get("/api/v1/boards/no-such-board/draft/").status_code == 404
    assert api.get("/api/v1/threads/999999/draft/").status_code == 404


def test_another_members_draft_is_never_answered(api, board):
    other = UserFactory()
    services.draft_save(user=other, board=board, body="theirs")
    assert api.get(f"/api/v1/boards/{board.slug}/draft/").status_code == 404
    assert api.get("/api/v1/drafts/").json()["results"] == []
    assert api.delete(f"/api/v1/boards/{board.slug}/draft/").status_code == 404
    assert Draft.objects.filter(user=other).exists()


def test_my_drafts_are_paged_by_cursor_with_constant_queries(
    api, member, board, django_assert_num_queries
):
    for n in range(5):
        services.draft_save(user=member, thread=make_thread(board=board), body=f"r{n}")
    api.get("/api/v1/drafts/")  # today's first visit is recorded once (accounts' middleware)
    # the drafts page with boards and threads (1); force_authenticate needs no session
    with django_assert_num_queries(1):
        first = api.get("/api/v1/drafts/", {"page_size": 2}).json()
    assert [row["body"] for row in first["results"]] == ["r4", "r3"]
    with django_assert_num_queries(1):
        second = api.get(first["next"]).json()
    assert [row["body"] for row in second["results"]] == ["r2", "r1"]


def test_the_preview_equals_the_stored_html(api, member, board):
    body = "**hi** @" + member.username + " <script>x</script> [a](javascript:alert(1))"
    html = api.post("/api/v1/preview/", {"body": body}, format="json").json()["html"]
    post = services.post_reply(thread=make_thread(board=board), author=member, body=body)
    assert html == Post.objects.get(pk=post.pk).html
    assert api.post("/api/v1/preview/", {"body": ""}, format="json").json() == {"html": ""}
