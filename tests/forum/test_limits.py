"""Posting limits (forum.limits): rate limits, first-day caps, links, mentions,
attachments, slow mode and duplicates, through the services and the forms.

The suite runs with limits off (config/settings/test.py); every test here turns
them on. The cache is the configured one: Redis when REDIS_URL is set.
"""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from forum import services
from forum.models import Post, Thread
from forum.services import limits
from forum.services.limits import PostingLimitError
from moderation import services as moderation_services
from tests.factories import BoardFactory, StaffFactory, UserFactory, make_reply, make_thread
from tests.utils import run_at_once

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits_on(settings):
    settings.POPCORN = {**settings.POPCORN, "POSTING_LIMITS_ENABLED": True}


@pytest.fixture
def clock(monkeypatch):
    """Pin the limits' clock to the start of an hour, so no window rolls over mid-test."""
    now = {"t": 1_900_000_800 - 1_900_000_800 % 3600}
    monkeypatch.setattr(limits, "clock", lambda: now["t"])
    return now


def _rules(settings, **changes):
    settings.POPCORN = {**settings.POPCORN, **changes}


def _established(**kw) -> User:
    """A member past the first day and at the Member level: not new."""
    user = UserFactory(**kw)
    User.objects.filter(pk=user.pk).update(
        reputation=60, date_joined=timezone.now() - timedelta(days=30)
    )
    return User.objects.get(pk=user.pk)


def _newcomer_after_first_day() -> User:
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=3))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def thread(db):
    return make_thread(board=BoardFactory(), author=_established())


# Rate limits -------------------------------------------------------------------------


def test_replies_per_minute_then_a_clear_wait(thread, clock, settings):
    _rules(settings, REPLIES_PER_MINUTE=3)
    member = _established()
    for n in range(3):
        make_reply(thread=thread, author=member, body=f"reply {n}")
    clock["t"] += 18
    with pytest.raises(PostingLimitError) as refused:
        make_reply(thread=thread, author=member, body="one too many")
    assert "You can post 3 replies a minute. You can post again in 42 seconds." in str(
        refused.value
    )
    assert refused.value.retry_after == 42
    assert not Post.objects.filter(source="one too many").exists()
    clock["t"] += 42  # the next window
    make_reply(thread=thread, author=member, body="one too many")


def test_new_members_have_stricter_reply_limits(thread, clock, settings):
    _rules(settings, REPLIES_PER_MINUTE=5, NEW_USER_REPLIES_PER_MINUTE=2)
    newcomer, member = _newcomer_after_first_day(), _established()
    for n in range(2):
        make_reply(thread=thread, author=newcomer, body=f"new {n}")
        make_reply(thread=thread, author=member, body=f"old {n}")
    with pytest.raises(PostingLimitError, match="2 replies a minute"):
        make_reply(thread=thread, author=newcomer, body="new 3")
    make_reply(thread=thread, author=member, body="old 3")


def test_threads_per_hour(clock, settings):
    _rules(settings, THREADS_PER_HOUR=2)
    member, board = _established(), BoardFactory()
    for n in range(2):
        make_thread(board=board, author=member, title=f"Thread {n}", body=f"body {n}")
    clock["t"] += 600
    with pytest.raises(PostingLimitError) as refused:
        make_thread(board=board, author=member, title="Third", body="third")
    assert "2 threads an hour" in str(refused.value) and "50 minutes" in str(refused.value)
    assert Thread.objects.filter(author=member).count() == 2


def test_moderators_and_staff_are_exempt(thread, clock, settings):
    _rules(settings, REPLIES_PER_MINUTE=1, NEW_USER_REPLIES_PER_MINUTE=1, FIRST_DAY_REPLIES=1)
    staff, moderator = StaffFactory(), _established()
    moderation_services.moderator_add(user=moderator, board=thread.board, actor=staff)
    for n in range(3):
        make_reply(thread=thread, author=staff, body=f"staff {n}")
        make_reply(thread=thread, author=moderator, body=f"mod {n}")
    elsewhere = make_thread(board=BoardFactory(), author=_established())
    make_reply(thread=elsewhere, author=moderator, body="elsewhere 1")
    with pytest.raises(PostingLimitError):  # not their board: limits apply
        make_reply(thread=elsewhere, author=moderator, body="elsewhere 2")


def test_counters_are_atomic_under_concurrency(clock, settings):
    """Many workers take slots at once (threads sharing the real cache): exactly the limit wins."""

    def work(_item, wait):
        wait()
        slots = limits.Slots()
        return limits._take_window(slots, name="race", user_id=1, limit=5, window=60)

    results, errors = run_at_once(range(12), work)
    assert not errors
    assert results.count(None) == 5


def test_the_cache_is_redis_when_redis_url_is_set():
    backend = django_settings.CACHES["default"]["BACKEND"]
    if django_settings.REDIS_URL:
        assert backend.endswith("RedisCache")
    else:
        assert backend.endswith("LocMemCache")


# First-day caps ------------------------------------------------------------------------


def test_first_day_thread_cap(clock, settings):
    _rules(settings, NEW_USER_THREADS_PER_HOUR=10)
    newcomer, board = UserFactory(), BoardFactory()
    for n in range(3):
        make_thread(board=board, author=newcomer, title=f"T{n}", body=f"b{n}")
    with pytest.raises(PostingLimitError) as refused:
        make_thread(board=board, author=newcomer, title="T4", body="b4")
    message = str(refused.value)
    assert "In their first day new members can start 3 threads" in message
    assert "You can start another in 23" in message  # hours left of their first day
    assert Thread.objects.filter(author=newcomer).count() == 3


def test_first_day_reply_cap_counts_rows_written_before(thread, clock, settings):
    _rules(settings, NEW_USER_REPLIES_PER_MINUTE=100, POSTING_LIMITS_ENABLED=False)
    newcomer = UserFactory()
    for n in range(8):
        make_reply(thread=thread, author=newcomer, body=f"early {n}")
    _rules(settings, POSTING_LIMITS_ENABLED=True)
    make_reply(thread=thread, author=newcomer, body="ninth")
    make_reply(thread=thread, author=newcomer, body="tenth")
    with pytest.raises(PostingLimitError, match="10 replies"):
        make_reply(thread=thread, author=newcomer, body="eleventh")


def test_no_first_day_cap_after_the_first_day(thread, clock, settings):
    _rules(settings, NEW_USER_REPLIES_PER_MINUTE=100, FIRST_DAY_REPLIES=1)
    # Control: the cap is in force, a member in their first day gets one reply, not two.
    first_day = UserFactory()
    make_reply(thread=thread, author=first_day, body="first-day reply")
    with pytest.raises(PostingLimitError, match="new members can post 1 reply"):
        make_reply(thread=thread, author=first_day, body="first-day again")
    newcomer = _newcomer_after_first_day()
    for n in range(3):
        make_reply(thread=thread, author=newcomer, body=f"r{n}")
    assert Post.objects.filter(author=first_day).count() == 1
    assert list(
        Post.objects.filter(author=newcomer).order_by("pk").values_list("source", flat=True)
    ) == ["r0", "r1", "r2"]


# Links, mentions, attachments --------------------------------------------------------


def test_new_members_post_at_most_two_links(thread, clock):
    newcomer = UserFactory()
    body = "See https://a.example and [b](https://b.example) and ![c](https://c.example/c.png)"
    with pytest.raises(PostingLimitError) as refused:
        make_reply(thread=thread, author=newcomer, body=body)
    assert "at most 2 links in a post; this one has 3" in str(refused.value)
    make_reply(thread=thread, author=newcomer, body="Two: https://a.example https://b.example")
    make_reply(thread=thread, author=newcomer, body="In code: `https://x.example` " * 5)
    make_reply(thread=thread, author=_established(), body=body)


def test_new_members_mention_at_most_two_members(thread, clock):
    for name in ("ann", "bob", "cy"):
        UserFactory(username=name)
    newcomer = UserFactory()
    with pytest.raises(PostingLimitError, match="mention at most 2 members"):
        make_reply(thread=thread, author=newcomer, body="@ann @bob @cy look")
    # Names that are nobody, and names inside a quote, are not mentions.
    make_reply(thread=thread, author=newcomer, body="@ann @bob @nobody1 @nobody2\n\n> @cy said")


def test_attachments_need_a_level(thread, clock):
    def log():
        return SimpleUploadedFile("log.txt", b"boot ok\n", content_type="text/plain")

    with pytest.raises(PostingLimitError, match="cannot attach files yet: you can from the Member"):
        services.post_reply(thread=thread, author=UserFactory(), body="log", attachments=[log()])
    post = services.post_reply(
        thread=thread, author=_established(), body="log", attachments=[log()]
    )
    assert post.attachments.count() == 1


def test_an_edit_cannot_add_links_beyond_the_cap(thread, clock):
    newcomer = UserFactory()
    post = make_reply(thread=thread, author=newcomer, body="plain")
    post = Post.objects.select_related("thread__board").get(pk=post.pk)
    with pytest.raises(PostingLimitError):
        services.post_edit(post=post, editor=newcomer, body="https://a.x https://b.x https://c.x")
    assert Post.objects.get(pk=post.pk).source == "plain"


# Slow mode ------------------------------------------------------------------------------


def test_slow_mode_spaces_one_members_replies(thread, clock, settings):
    _rules(settings, POSTING_LIMITS_ENABLED=False)  # slow mode is a moderator's choice: always on
    Thread.objects.filter(pk=thread.pk).update(slow_mode_seconds=300)
    thread.refresh_from_db()
    member, other = _established(), _established()
    make_reply(thread=thread, author=member, body="first")
    clock["t"] += 60
    with pytest.raises(PostingLimitError) as refused:
        make_reply(thread=thread, author=member, body="second")
    assert "slow mode: one reply every 5 minutes" in str(refused.value)
    assert "You can reply again in 4 minutes" in str(refused.value)
    make_reply(thread=thread, author=other, body="someone else")  # per member
    elsewhere = make_thread(board=thread.board, author=_established())
    make_reply(thread=elsewhere, author=member, body="other thread")  # per thread


def test_moderators_are_exempt_from_slow_mode(thread, clock):
    staff, moderator, member = StaffFactory(), UserFactory(), _established()
    moderation_services.moderator_add(user=moderator, board=thread.board, actor=staff)
    moderation_services.thread_set_slow_mode(thread=thread, actor=moderator, seconds=600)
    thread.refresh_from_db()
    # Control: slow mode is on for everyone else, one reply and then a wait.
    make_reply(thread=thread, author=member, body="member 0")
    with pytest.raises(PostingLimitError, match="slow mode"):
        make_reply(thread=thread, author=member, body="member 1")
    for n in range(3):
        make_reply(thread=thread, author=moderator, body=f"mod {n}")
    assert list(
        Post.objects.filter(thread=thread, author=moderator)
        .order_by("pk")
        .values_list("source", flat=True)
    ) == ["mod 0", "mod 1", "mod 2"]
    assert Post.objects.filter(thread=thread, author=member).count() == 1


# Duplicates ---------------------------------------------------------------------------


def test_the_same_text_again_is_refused(thread, clock):
    member = _established()
    make_reply(thread=thread, author=member, body="Flashing V14.0.3 fixed it")
    with pytest.raises(PostingLimitError, match="same text"):
        make_reply(thread=thread, author=member, body="  flashing   v14.0.3 FIXED it ")
    other = make_thread(board=thread.board, author=_established())
    with pytest.raises(PostingLimitError, match="same text"):  # in another thread too
        make_reply(thread=other, author=member, body="Flashing V14.0.3 fixed it")
    make_reply(thread=thread, author=member, body="Something new")
    make_reply(thread=thread, author=_established(), body="Flashing V14.0.3 fixed it")


def test_a_failed_write_gives_its_slots_back(thread, clock, settings):
    _rules(settings, REPLIES_PER_MINUTE=1)
    member = _established()
    stale = Thread.objects.select_related("board").get(pk=thread.pk)
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)  # after the page was read
    with pytest.raises(PermissionDenied):
        services.post_reply(thread=stale, author=member, body="Locked out")
    Thread.objects.filter(pk=thread.pk).update(is_locked=False)
    services.post_reply(thread=stale, author=member, body="Locked out")  # same text, same minute


# Through the forms -----------------------------------------------------------------


def test_the_reply_form_shows_the_limit_and_writes_nothing(thread, clock, client, settings):
    _rules(settings, REPLIES_PER_MINUTE=1)
    member = _established()
    client.force_login(member)
    url = reverse("forum:reply", kwargs={"pk": thread.pk})
    assert client.post(url, {"body": "first"}).status_code == 302
    response = client.post(url, {"body": "second"})
    assert response.status_code == 200
    assert "You can post again in 1 minute" in response.content.decode()
    assert not Post.objects.filter(source="second").exists()


def test_the_new_thread_form_shows_the_link_cap(clock, client):
    board, newcomer = BoardFactory(), UserFactory()
    client.force_login(newcomer)
    response = client.post(
        reverse("forum:thread_create", kwargs={"slug": board.slug}),
        {
            "title": "Free stuff",
            "thread_type": "discussion",
            "body": "https://a.x https://b.x https://c.x",
        },
    )
    assert response.status_code == 200
    assert "at most 2 links" in response.content.decode()
    assert not Thread.objects.filter(board=board).exists()
