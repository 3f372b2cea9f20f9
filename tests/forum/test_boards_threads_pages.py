"""Browsing: front page, board pages, thread pages, jumps, visibility."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum import services
from forum.models import Board, Thread
from tests.factories import BoardFactory, DeviceFactory, UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def test_front_page_lists_sections_boards_and_latest_threads(client, board):
    thread = make_thread(board=board, title="MIUI 14.0.3 release notes")
    html = client.get(reverse("forum:index")).content.decode()
    assert board.section.name in html and board.name in html
    assert thread.title in html


def test_board_lists_pinned_first_then_by_last_activity(client, board):
    old = make_thread(board=board, title="Old but pinned")
    quiet = make_thread(board=board, title="Quiet thread")
    busy = make_thread(board=board, title="Busy thread")
    Thread.objects.filter(pk=old.pk).update(
        is_pinned=True, last_posted_at=timezone.now() - timedelta(days=30)
    )
    Thread.objects.filter(pk=busy.pk).update(last_posted_at=timezone.now() - timedelta(days=2))
    Thread.objects.filter(pk=quiet.pk).update(last_posted_at=timezone.now() - timedelta(days=5))
    make_reply(thread=quiet)  # the reply brings it back to the top

    response = client.get(board.get_absolute_url())
    titles = [t.title for t in response.context["page"].object_list]
    assert titles == ["Old but pinned", "Quiet thread", "Busy thread"]


def test_board_shows_replies_views_and_last_poster(client, board):
    thread = make_thread(board=board)
    replier = UserFactory(username="last_replier")
    make_reply(thread=thread, author=replier)
    client.get(thread.get_absolute_url())
    client.get(thread.get_absolute_url() + "?page=1")
    services.thread_views_fold()  # views are counted in the cache, folded in by a job
    html = client.get(board.get_absolute_url()).content.decode()
    assert "last_replier" in html
    row = html[html.index(thread.title) :]
    replies, views = (re.search(rf'<td class="num"[^>]*>{n}</td>', row) for n in (1, 2))
    assert replies and views


def test_board_filters_by_type_and_device(client, board):
    houji = DeviceFactory(codename="houji", model="14")
    make_thread(board=board, title="Bug on houji", thread_type="bug", device=houji)
    make_thread(board=board, title="Guide on houji", thread_type="guide", device=houji)
    make_thread(board=board, title="Bug elsewhere", thread_type="bug")

    def titles(**params):
        response = client.get(board.get_absolute_url(), params)
        return sorted(t.title for t in response.context["page"].object_list)

    assert titles(type="bug") == ["Bug elsewhere", "Bug on houji"]
    assert titles(device="houji") == ["Bug on houji", "Guide on houji"]
    assert titles(type="bug", device="houji") == ["Bug on houji"]
    assert len(titles(type="not-a-type")) == 3  # unknown filter values are ignored
    assert titles(device="<script>") == []


def test_board_pagination_keeps_filters(client, settings, board):
    settings.POPCORN = {**settings.POPCORN, "THREADS_PER_PAGE": 2}
    author = UserFactory()
    for i in range(5):
        make_thread(board=board, author=author, title=f"Bug {i}", thread_type="bug")
    response = client.get(board.get_absolute_url(), {"type": "bug", "page": 2})
    assert response.context["page"].number == 2
    assert 'href="?type=bug&amp;page=3"' in response.content.decode()
    # Out-of-range and junk page numbers land on a real page, never a 404 or 500.
    assert client.get(board.get_absolute_url(), {"page": 999}).status_code == 200
    assert client.get(board.get_absolute_url(), {"page": "abc"}).status_code == 200


def test_thread_page_shows_20_posts_by_floor(client, board):
    thread = make_thread(board=board)
    author = UserFactory()
    for i in range(45):
        make_reply(thread=thread, author=author, body=f"reply number {i + 2}")
    thread.refresh_from_db()

    first = client.get(thread.get_absolute_url())
    assert [p.floor for p in first.context["page"].posts] == list(range(1, 21))
    third = client.get(thread.get_absolute_url() + "?page=3")
    assert [p.floor for p in third.context["page"].posts] == list(range(41, 47))
    assert third.context["page"].page_count == 3


def test_jump_to_floor_redirects_to_its_page_and_anchor(client, board):
    thread = make_thread(board=board)
    author = UserFactory()
    for _ in range(25):
        make_reply(thread=thread, author=author)
    response = client.get(reverse("forum:floor", args=[thread.pk, 23]))
    assert response.status_code == 302
    assert response["Location"] == f"{thread.get_absolute_url()}?page=2#floor-23"
    assert client.get(reverse("forum:floor", args=[thread.pk, 3]))["Location"].endswith(
        "?page=1#floor-3"
    )


def test_thread_url_with_a_wrong_slug_redirects_to_the_canonical_one(client, board):
    thread = make_thread(board=board, title="固件更新后耗电很快")
    assert thread.slug == "固件更新后耗电很快"
    response = client.get(reverse("forum:thread", kwargs={"pk": thread.pk, "slug": "old-title"}))
    assert response.status_code == 301 and response["Location"] == thread.get_absolute_url()
    assert client.get(reverse("forum:thread_short", args=[thread.pk])).status_code == 301
    assert client.get(thread.get_absolute_url()).status_code == 200


def test_members_only_board_is_hidden_from_anonymous_visitors(client, member):
    board = BoardFactory(visibility=Board.Visibility.MEMBERS, name="Beta lounge")
    thread = make_thread(board=board)
    assert "Beta lounge" not in client.get(reverse("forum:index")).content.decode()
    assert client.get(board.get_absolute_url()).status_code == 403
    assert client.get(thread.get_absolute_url()).status_code == 403
    client.force_login(member)
    assert "Beta lounge" in client.get(reverse("forum:index")).content.decode()
    assert client.get(thread.get_absolute_url()).status_code == 200


def test_staff_board_is_for_staff_only(client, member, staff):
    board = BoardFactory(visibility=Board.Visibility.STAFF)
    client.force_login(member)
    assert client.get(board.get_absolute_url()).status_code == 403
    client.force_login(staff)
    assert client.get(board.get_absolute_url()).status_code == 200


def test_hidden_thread_is_404_for_members_and_visible_to_staff(client, board, member, staff):
    thread = make_thread(board=board)
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    client.force_login(member)
    assert client.get(thread.get_absolute_url()).status_code == 404
    assert thread.title not in client.get(board.get_absolute_url()).content.decode()
    client.force_login(staff)
    assert client.get(thread.get_absolute_url()).status_code == 200


def test_anonymous_thread_page_offers_sign_in_not_a_form(client, board):
    thread = make_thread(board=board)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert 'id="reply-form"' not in html and "/accounts/login/" in html


def test_profile_page_shows_counts_and_recent_threads(client, board):
    author = UserFactory(username="core_fan", display_name="小米粉丝")
    make_thread(board=board, author=author, title="My guide to unlocking")
    hidden_board = BoardFactory(visibility=Board.Visibility.STAFF)
    make_thread(board=hidden_board, author=UserFactory(is_staff=True), title="Staff secret")
    html = client.get(reverse("forum:member", args=["core_fan"])).content.decode()
    assert "小米粉丝" in html and "My guide to unlocking" in html
    assert "Staff secret" not in html
    assert client.get(reverse("forum:member", args=["nobody"])).status_code == 404
