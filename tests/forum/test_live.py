"""The live polls: the header's unread counts and a thread's "N new replies" banner."""

import pytest
from django.urls import reverse

from forum.models import Board
from tests.factories import BoardFactory, StaffFactory, UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def _counts_url(user):
    return reverse("accounts:header_counts") + (
        f"?n={user.unread_notifications}&m={user.unread_conversations}"
    )


def test_the_header_counts_poll_answers_204_until_a_count_changes(
    client, django_assert_num_queries
):
    author = UserFactory()
    thread = make_thread(author=author)
    client.force_login(author)
    author.refresh_from_db()
    url = _counts_url(author)
    with django_assert_num_queries(2):  # the session and the member's row
        response = client.get(url)
    assert response.status_code == 204 and response.content == b""
    make_reply(thread=thread)  # notifies the author
    response = client.get(url)
    assert response.status_code == 200
    assert '<span class="badge">1</span>' in response.content.decode()
    assert "n=1" in response.content.decode()


def test_the_header_counts_are_on_the_page_without_javascript(client):
    author = UserFactory()
    thread = make_thread(author=author)
    make_reply(thread=thread)
    client.force_login(author)
    page = client.get(reverse("forum:index")).content.decode()
    assert 'id="header-counts"' in page and '<span class="badge">1</span>' in page


def test_anonymous_visitors_are_told_to_stop_polling(client):
    assert client.get(reverse("accounts:header_counts")).status_code == 286


def test_the_new_replies_poll_counts_floors_after_the_one_shown(client, django_assert_num_queries):
    thread = make_thread()
    url = reverse("forum:thread_new_replies", args=[thread.pk]) + "?after=1"
    assert client.get(url).status_code == 204
    make_reply(thread=thread)
    make_reply(thread=thread)
    client.get(url)  # fills the cache
    with django_assert_num_queries(0):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200 and "2 new replies" in body
    assert reverse("forum:floor", args=[thread.pk, 2]) in body
    assert client.get(url.replace("after=1", "after=x")).status_code == 400


def test_the_thread_page_carries_the_banner_on_its_last_page(client):
    thread = make_thread()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert 'id="new-replies"' in page and "?after=1" in page


def test_the_new_replies_poll_is_closed_to_those_who_cannot_read_the_thread(client):
    board = BoardFactory(visibility=Board.Visibility.STAFF)
    thread = make_thread(board=board, author=StaffFactory())
    url = reverse("forum:thread_new_replies", args=[thread.pk]) + "?after=0"
    assert client.get(url).status_code == 286
    client.force_login(UserFactory())
    assert client.get(url).status_code == 286
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 200


def test_the_api_answers_the_polls_as_json(client):
    member = UserFactory()
    thread = make_thread(author=member)
    make_reply(thread=thread)
    assert client.get("/api/v1/me/counts/").status_code in (401, 403)
    client.force_login(member)
    assert client.get("/api/v1/me/counts/").json() == {"notifications": 1, "conversations": 0}
    body = client.get(f"/api/v1/threads/{thread.pk}/new-replies/?after=1").json()
    assert body == {"last_floor": 2, "new_count": 1}
    assert client.get(f"/api/v1/threads/{thread.pk}/new-replies/").status_code == 400
    assert client.get("/api/v1/threads/999999/new-replies/?after=0").status_code == 404
