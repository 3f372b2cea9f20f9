"""Idempotency-Key on new threads and replies: a retry gets the same post, never a second."""

import pytest
from django.db import connection

from forum.models import IdempotencyKey, Post, Thread
from tests.api.conftest import token_client
from tests.factories import UserFactory, make_thread
from tests.utils import postgresql_only, run_at_once

pytestmark = pytest.mark.django_db


def _reply(client, thread, body="Same here.", key="k-1"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(
        f"/api/v1/threads/{thread.pk}/posts/", {"body": body}, format="json", **headers
    )


def test_a_retried_reply_returns_the_same_post(member_api, board):
    thread = make_thread(board=board)
    first = _reply(member_api, thread)
    again = _reply(member_api, thread)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Post.objects.filter(thread=thread).count() == 2
    assert Thread.objects.get(pk=thread.pk).reply_count == 1


def test_another_key_is_another_reply(member_api, board):
    thread = make_thread(board=board)
    assert _reply(member_api, thread, body="one", key="a").json()["floor"] == 2
    assert _reply(member_api, thread, body="two", key="b").json()["floor"] == 3


def test_the_same_key_from_another_member_is_their_own(member_api, board):
    thread = make_thread(board=board)
    mine = _reply(member_api, thread).json()
    theirs = _reply(token_client(UserFactory()), thread).json()
    assert mine["id"] != theirs["id"]


def test_the_same_key_for_another_request_is_a_409(member_api, board):
    thread = make_thread(board=board)
    assert _reply(member_api, thread, body="first").status_code == 201
    clash = _reply(member_api, thread, body="something else")
    assert clash.status_code == 409
    assert "different request" in clash.json()["detail"]
    assert Post.objects.filter(thread=thread).count() == 2


def test_a_refused_request_keeps_no_key_so_the_fixed_retry_works(member_api, board):
    thread = make_thread(board=board)
    assert _reply(member_api, thread, body="").status_code == 400
    assert not IdempotencyKey.objects.exists()
    assert _reply(member_api, thread, body="").status_code == 400
    thread.is_locked = True
    thread.save(update_fields=["is_locked"])
    assert _reply(member_api, thread, body="ok").status_code == 403
    assert not IdempotencyKey.objects.exists()


def test_a_key_too_long_is_a_400_on_the_header(member_api, board):
    thread = make_thread(board=board)
    response = _reply(member_api, thread, key="x" * 101)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]


def test_a_retried_new_thread_returns_the_same_thread(member_api, board):
    url = f"/api/v1/boards/{board.slug}/threads/"
    data = {"title": "Battery drain", "body": "Since 14.0.3"}
    first = member_api.post(url, data, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    again = member_api.post(url, data, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Thread.objects.filter(board=board).count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_identical_requests_at_once_make_one_post(board):
    thread = make_thread(board=board)
    member = UserFactory()
    clients = [token_client(member) for _ in range(2)]

    def send(client, wait):
        wait()
        return _reply(client, thread, body="Flaky network", key="retry-me")

    responses, errors = run_at_once(clients, send)

    assert errors == []
    assert [r.status_code for r in responses] == [201, 201]
    assert responses[0].json()["id"] == responses[1].json()["id"]
    assert Post.objects.filter(thread=thread).count() == 2
    assert Thread.objects.get(pk=thread.pk).last_floor == 2
    assert connection.vendor == "postgresql"
