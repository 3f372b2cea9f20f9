"""A thread page's posts, shared by every reader from the cache (forum.selectors.shared_page_posts).

Turned on here as in production (POPCORN["PAGE_POSTS_CACHE"]); the suite keeps it off
elsewhere because its writes' commit callbacks (the version bumps) never run. Where a
write must show, these tests run them (django_capture_on_commit_callbacks).
"""

import pytest
from django.conf import settings
from django.core.cache import cache

from forum import caching, services
from forum.models import Post
from tests.factories import BoardFactory, UserFactory, long_thread, make_reply, make_thread
from tests.forum.test_query_counts import THREAD_PAGE_MEMBER

pytestmark = pytest.mark.django_db

# The posts of the page (1), their files (1) and their authors' shown medals (1) come
# from the cache once one reader has read the page.
SHARED = 3


@pytest.fixture
def shared(settings):
    settings.POPCORN = {**settings.POPCORN, "PAGE_POSTS_CACHE": True}


def _posts(response) -> list[Post]:
    return response.context["page"].posts


@pytest.mark.parametrize("posts", [30, 1000])
def test_a_member_reads_posts_another_reader_loaded_whatever_the_page(
    shared, client, member, django_assert_num_queries, posts
):
    thread = long_thread(BoardFactory(), posts)
    last = f"?page={thread.page_count}"
    client.get(thread.get_absolute_url())  # an anonymous reader loads page 1...
    client.get(thread.get_absolute_url() + last)  # ...and the last page
    client.force_login(member)
    # A member's first visit: the usual reads, the posts from the cache; the read-position
    # upsert is still there (it moves forward on both pages).
    with django_assert_num_queries(THREAD_PAGE_MEMBER - SHARED):
        first = client.get(thread.get_absolute_url())
    with django_assert_num_queries(THREAD_PAGE_MEMBER - SHARED):
        later = client.get(thread.get_absolute_url() + last)
    assert [p.floor for p in _posts(first)] == list(range(1, 21))
    assert _posts(later)[-1].floor == posts


def test_the_shared_posts_carry_nothing_personal(
    shared, client, django_capture_on_commit_callbacks
):
    thread = make_thread(board=BoardFactory())
    fan, other, staff = UserFactory(), UserFactory(), UserFactory(is_staff=True)
    post = make_reply(thread=thread, author=other, body="Same here")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_like(post=Post.objects.get(pk=post.pk), user=fan)

    client.force_login(fan)
    mine = {p.floor: p for p in _posts(client.get(thread.get_absolute_url()))}
    assert mine[post.floor].liked_by_viewer and mine[post.floor].like_count == 1
    client.force_login(other)
    response = client.get(thread.get_absolute_url())
    theirs = {p.floor: p for p in _posts(response)}
    assert not theirs[post.floor].liked_by_viewer and theirs[post.floor].like_count == 1
    assert not response.context["can_moderate"]
    assert not hasattr(theirs[post.floor], "viewer_watching")
    client.force_login(staff)
    assert client.get(thread.get_absolute_url()).context["can_moderate"]
    # The copy in the cache never holds a viewer's thread (their annotations on it).
    version = caching.versions(caching.thread_scope(thread.pk))
    copy = cache.get(f"page-posts:{settings.DEPLOY_VERSION}:{thread.pk}:1-20:{version}")
    assert [p.floor for p in copy] == [1, post.floor]
    assert all("thread" not in cached._state.fields_cache for cached in copy)


def test_an_edit_or_a_hide_shows_on_the_next_read(
    shared, client, member, django_capture_on_commit_callbacks
):
    from moderation import services as moderation_services

    thread = make_thread(board=BoardFactory())
    post = make_reply(thread=thread, author=member, body="first words")
    client.force_login(member)
    assert "first words" in client.get(thread.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_edit(post=Post.objects.get(pk=post.pk), editor=member, body="second words")
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "second words" in html and "first words" not in html
    client.force_login(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.post_hide(
            post=Post.objects.get(pk=post.pk), actor=UserFactory(is_staff=True), reason="spam"
        )
    assert "second words" not in client.get(thread.get_absolute_url()).content.decode()


def test_with_the_session_and_the_member_from_the_cache_too(
    shared, settings, client, member, django_assert_num_queries
):
    """Production with Redis: what is left are the personal parts (my likes among the
    posts, my draft, may I moderate, may I post) and the thread itself, and the read
    position when it moves forward."""
    settings.POPCORN = {**settings.POPCORN, "USER_CACHE": True}
    settings.SESSION_ENGINE = "config.sessions"
    thread = long_thread(BoardFactory(), 100)
    client.get(thread.get_absolute_url())
    client.get(thread.get_absolute_url() + "?page=5")
    client.force_login(member)
    client.get(thread.get_absolute_url() + "?page=2")  # caches the member's row
    with django_assert_num_queries(THREAD_PAGE_MEMBER - SHARED - 2):
        client.get(thread.get_absolute_url() + "?page=5")
