"""Atom feeds: valid (parsed by feedparser), public content only, linked from the pages."""

import feedparser
import pytest
from django.contrib.sites.models import Site
from django.urls import reverse

from forum.models import Board, Post, Thread
from tests.factories import BoardFactory, StaffFactory, UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db

LATEST = reverse("forum:feed_latest")


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


@pytest.fixture
def boards(db):
    return {
        "public": BoardFactory(slug="xiaomi-14", name="Xiaomi 14"),
        "members": BoardFactory(slug="beta", visibility=Board.Visibility.MEMBERS),
        "staff": BoardFactory(slug="staff-room", visibility=Board.Visibility.STAFF),
    }


def test_latest_threads_feed_has_public_threads_with_their_opening_post(client, boards):
    alice = UserFactory(username="alice")
    older = make_thread(board=boards["public"], author=alice, title="MIUI 14.0.3 <notes> & more")
    newer = make_thread(
        board=boards["public"],
        author=alice,
        title="固件更新后耗电很快",
        body="这个固件更新后**耗电**很快",
    )
    make_thread(board=boards["members"], title="Members only")
    make_thread(board=boards["staff"], author=StaffFactory(), title="Staff only")
    hidden = make_thread(board=boards["public"], title="Hidden one")
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)

    feed = parse(client, LATEST)

    assert [e.title for e in feed.entries] == ["固件更新后耗电很快", "MIUI 14.0.3 <notes> & more"]
    first = feed.entries[0]
    # Absolute links use the configured Site, like the notification emails do.
    domain = Site.objects.get_current().domain
    assert first.link == f"http://{domain}{newer.get_absolute_url()}"
    assert first.author == "alice"
    assert first.updated_parsed is not None and first.published_parsed is not None
    assert first.content[0].type == "text/html"
    assert first.content[0].value == "<p>这个固件更新后<strong>耗电</strong>很快</p>"
    assert feed.entries[1].link.endswith(older.get_absolute_url())
    assert feed.feed.updated_parsed is not None
    assert feed.feed.link.endswith(reverse("forum:index"))


def test_board_feed_lists_that_board_and_non_public_boards_have_none(client, boards):
    make_thread(board=boards["public"], title="Here")
    make_thread(board=BoardFactory(), title="Elsewhere")
    feed = parse(client, reverse("forum:board_feed", args=["xiaomi-14"]))
    assert [e.title for e in feed.entries] == ["Here"]
    assert feed.feed.title.startswith("Xiaomi 14")

    client.force_login(StaffFactory())  # feeds are public-only, whoever asks
    for slug in ("beta", "staff-room", "no-such-board"):
        assert client.get(reverse("forum:board_feed", args=[slug])).status_code == 404


def test_thread_feed_lists_visible_posts_newest_first(client, boards):
    thread = make_thread(board=boards["public"], title="刷机教程", body="第一步")
    bob = UserFactory(username="bob")
    make_reply(thread=thread, author=bob, body="谢谢 **楼主**")
    hidden = make_reply(thread=thread, body="spam")
    Post.objects.filter(pk=hidden.pk).update(is_hidden=True)

    feed = parse(client, reverse("forum:thread_feed", args=[thread.pk]))

    assert [e.title for e in feed.entries] == ["#2 · 刷机教程", "#1 · 刷机教程"]
    assert feed.entries[0].author == "bob"
    assert feed.entries[0].content[0].value == "<p>谢谢 <strong>楼主</strong></p>"
    assert feed.entries[0].link.endswith(reverse("forum:floor", args=[thread.pk, 2]))
    assert len({e.id for e in feed.entries}) == 2


def test_thread_feeds_of_hidden_or_non_public_threads_are_404(client, boards):
    hidden = make_thread(board=boards["public"])
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)
    members = make_thread(board=boards["members"])
    staff = make_thread(board=boards["staff"], author=StaffFactory())
    client.force_login(StaffFactory())
    for thread_id in (hidden.pk, members.pk, staff.pk, 999_999):
        assert client.get(reverse("forum:thread_feed", args=[thread_id])).status_code == 404


def test_control_characters_in_posts_do_not_break_the_feed(client, boards):
    thread = make_thread(board=boards["public"], title="bell \x07 title", body="text \x01\x1f end")
    parse(client, LATEST)
    feed = parse(client, reverse("forum:thread_feed", args=[thread.pk]))
    assert feed.entries[0].title == "#1 · bell  title"


@pytest.mark.parametrize("count", [2, 40])
def test_feed_queries_do_not_grow_with_items(client, django_assert_num_queries, boards, count):
    author = UserFactory()
    for i in range(count):
        make_thread(board=boards["public"], author=author, title=f"t{i}")
    client.get(LATEST)  # the current Site is cached after the first feed
    with django_assert_num_queries(1):
        feed = feedparser.parse(client.get(LATEST).content)
    assert len(feed.entries) == min(count, 30)
    board_feed = reverse("forum:board_feed", args=["xiaomi-14"])
    with django_assert_num_queries(2):  # the board, then its threads
        client.get(board_feed)


def test_front_board_and_thread_pages_link_their_feeds(client, boards):
    thread = make_thread(board=boards["public"])
    link = '<link rel="alternate" type="application/atom+xml"'
    front = client.get(reverse("forum:index")).content.decode()
    assert link in front and f'href="{LATEST}"' in front
    board_page = client.get(boards["public"].get_absolute_url()).content.decode()
    assert f'href="{reverse("forum:board_feed", args=["xiaomi-14"])}"' in board_page
    thread_page = client.get(thread.get_absolute_url()).content.decode()
    assert f'href="{reverse("forum:thread_feed", args=[thread.pk])}"' in thread_page


def test_pages_of_non_public_boards_do_not_link_feeds_that_would_404(client, boards):
    thread = make_thread(board=boards["members"])
    client.force_login(UserFactory())
    for url in (boards["members"].get_absolute_url(), thread.get_absolute_url()):
        assert "application/atom+xml" not in client.get(url).content.decode()
