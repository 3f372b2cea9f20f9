"""The API's conventions, the same on every operation: the error body and its statuses,
both ways of signing in, the caller's language, ISO 8601 times, cursor pagination."""

import re

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation
from rest_framework.test import APIClient

from forum.models import Post
from forum.permissions import reply_denied_reason
from tests.api.conftest import app_login, token_client
from tests.factories import BoardFactory, SectionFactory, UserFactory, make_thread

pytestmark = pytest.mark.django_db


def _reply_url(thread):
    return f"/api/v1/threads/{thread.pk}/posts/"


def test_bad_input_is_a_400_with_field_messages(member_api, board):
    thread = make_thread(board=board)
    response = member_api.post(_reply_url(thread), {"body": ""}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert "body" in body["errors"] and body["errors"]["body"]
    assert body["detail"] == body["errors"]["body"][0]


def test_a_services_validation_error_is_a_400_not_a_500(member_api, board):
    response = member_api.post(
        f"/api/v1/boards/{board.slug}/threads/",
        {"title": "x" * 500, "body": "It drains."},
        format="json",
    )
    assert response.status_code == 400
    assert "title" in response.json()["errors"]


def test_anonymous_writes_are_a_401_that_names_the_token_header(api, board):
    thread = make_thread(board=board)
    response = api.post(_reply_url(thread), {"body": "Same here."}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "X-Session-Token"
    assert set(response.json()) == {"detail", "errors"}
    assert Post.objects.filter(thread=thread).count() == 1


def test_an_unknown_token_is_a_401_even_on_a_read(api):
    api.credentials(HTTP_X_SESSION_TOKEN="not-a-token")
    response = api.get("/api/v1/sections/")
    assert response.status_code == 401
    assert response.json()["errors"] == {}


def test_a_refusal_is_a_403_with_the_pages_reason(suspended, board):
    thread = make_thread(board=board)
    reason = reply_denied_reason(suspended, thread)
    assert reason
    response = token_client(suspended).post(_reply_url(thread), {"body": "Hi"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == reason
    assert Post.objects.filter(thread=thread).count() == 1


def test_a_missing_thread_is_a_404(member_api):
    response = member_api.post("/api/v1/threads/999999/posts/", {"body": "Hi"}, format="json")
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}


def test_a_posting_limit_is_a_429_with_retry_after(member_api, board, settings):
    settings.POPCORN = {**settings.POPCORN, "POSTING_LIMITS_ENABLED": True}
    thread = make_thread(board=board)
    first = member_api.post(_reply_url(thread), {"body": "Same words"}, format="json")
    assert first.status_code == 201
    again = member_api.post(_reply_url(thread), {"body": "Same words"}, format="json")
    assert again.status_code == 429
    wait = int(again["Retry-After"])
    assert wait > 0 and again.json()["retry_after"] == wait
    assert "same text" in again.json()["detail"]


def test_write_throttles_are_per_member_and_say_when(member_api, board, settings):
    throttles = {**settings.POPCORN["API_THROTTLES"], "write_member": "2/m"}
    settings.POPCORN = {**settings.POPCORN, "API_THROTTLES": throttles}
    thread = make_thread(board=board)
    for n in range(2):
        assert (
            member_api.post(_reply_url(thread), {"body": f"{n}"}, format="json").status_code == 201
        )
    refused = member_api.post(_reply_url(thread), {"body": "three"}, format="json")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert set(refused.json()) == {"detail", "errors", "retry_after"}
    # Another member is not held back by the first one's count.
    other = token_client(UserFactory())
    assert other.post(_reply_url(thread), {"body": "mine"}, format="json").status_code == 201


def test_write_throttles_count_per_address_too(board, settings):
    throttles = {**settings.POPCORN["API_THROTTLES"], "write_address": "1/m"}
    settings.POPCORN = {**settings.POPCORN, "API_THROTTLES": throttles}
    thread = make_thread(board=board)
    first, second = token_client(UserFactory()), token_client(UserFactory())
    assert first.post(_reply_url(thread), {"body": "one"}, format="json").status_code == 201
    assert second.post(_reply_url(thread), {"body": "two"}, format="json").status_code == 429


def test_reads_are_not_write_throttled(api, settings):
    throttles = {**settings.POPCORN["API_THROTTLES"], "write_address": "1/m"}
    settings.POPCORN = {**settings.POPCORN, "API_THROTTLES": throttles}
    for _ in range(3):
        assert api.get("/api/v1/sections/").status_code == 200


def test_the_app_token_from_allauth_headless_signs_in(member, board):
    token = app_login(member.username)
    thread = make_thread(board=board)
    client = APIClient()
    client.credentials(HTTP_X_SESSION_TOKEN=token)
    response = client.post(_reply_url(thread), {"body": "From the app"}, format="json")
    assert response.status_code == 201
    assert response.json()["author_name"] == member.username


def test_the_browser_session_works_with_csrf_and_not_without(member, board):
    thread = make_thread(board=board)
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(member)
    refused = browser.post(_reply_url(thread), {"body": "No token"}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    page = browser.get(thread.get_absolute_url())
    csrf = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else None
    if csrf is None:
        browser.get("/accounts/login/")
        csrf = browser.cookies["csrftoken"].value
    accepted = browser.post(
        _reply_url(thread), {"body": "With token"}, format="json", HTTP_X_CSRFTOKEN=csrf
    )
    assert accepted.status_code == 201


def test_messages_follow_accept_language(member_api):
    response = member_api.post(
        "/api/v1/threads/999999/posts/",
        {"body": "Hi"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 404
    assert re.search(r"[\u4e00-\u9fff]", response.json()["detail"])


def test_a_token_members_language_setting_wins(board):
    fan = UserFactory(language="zh-hans")
    response = token_client(fan).post(
        "/api/v1/threads/999999/posts/", {"body": "Hi"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert re.search(r"[\u4e00-\u9fff]", response.json()["detail"])
    translation.deactivate()


@override_settings(TIME_ZONE="Asia/Shanghai")
def test_times_are_iso_8601_with_the_offset(member_api, board):
    thread = make_thread(board=board)
    created = member_api.post(_reply_url(thread), {"body": "When?"}, format="json").json()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+08:00", created["created_at"])


def test_lists_are_cursor_paginated(api):
    section = SectionFactory()
    for _ in range(3):
        BoardFactory(section=section)
    for _ in range(2):
        BoardFactory()
    first = api.get("/api/v1/sections/?page_size=2").json()
    assert set(first) == {"next", "previous", "results"} and len(first["results"]) == 2
    assert "cursor=" in first["next"]
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    ids = [s["id"] for s in first["results"] + second["results"]]
    assert len(set(ids)) == 3


def test_a_cursor_that_is_not_ours_is_a_400(api):
    response = api.get("/api/v1/sections/?cursor=garbage")
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_an_unknown_api_address_is_a_json_404(api):
    for url in ("/api/v1/nothing-here/", "/api/v1/boards/%28%C3%B6/threads/"):
        response = api.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert set(response.json()) == {"detail", "errors"}


def test_a_post_to_an_unknown_api_address_is_a_json_404_not_a_csrf_page():
    browser = APIClient(enforce_csrf_checks=True)
    response = browser.post("/api/v1/nothing-here/", {"a": 1}, format="json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_an_app_members_visit_counts_for_the_daily_actives(member):
    from accounts.models import DailyActivity

    client = token_client(member)
    # The sign-in itself was a visit: start the day again.
    DailyActivity.objects.all().delete()
    type(member).objects.filter(pk=member.pk).update(last_seen_at=None, days_visited=0)
    cache.clear()
    assert client.get("/api/v1/sections/").status_code == 200
    assert DailyActivity.objects.filter(user=member).count() == 1
