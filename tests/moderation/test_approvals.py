"""The approval queue: what is held, who sees it, and what approving or rejecting does."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, NotificationKind, User
from forum import services
from forum.models import Board, Post, Thread
from forum.services import posting_rules
from moderation import services as moderation_services
from moderation.models import AuditLog
from tests.factories import UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(settings):
    """Members below "member" (50 reputation) wait for approval."""
    settings.POPCORN = {**settings.POPCORN, "APPROVAL_BELOW_LEVEL": "member"}


@pytest.fixture
def newbie(db):
    return UserFactory(username="newbie")


def action_url(post, action: str) -> str:
    return reverse("moderation:approval_action", kwargs={"post_id": post.pk, "action": action})


def _counts(world, user):
    board = Board.objects.get(pk=world.board_a.pk)
    thread = Thread.objects.get(pk=world.thread.pk)
    user = User.objects.get(pk=user.pk)
    return {
        "board": (board.thread_count, board.post_count, board.last_poster_name),
        "thread": (thread.reply_count, thread.last_floor, thread.last_poster_name),
        "user": (user.thread_count, user.post_count),
    }


# The rule -------------------------------------------------------------------


def test_by_default_only_members_below_newcomer_wait(world):
    fresh, fallen = UserFactory(), UserFactory(reputation=-5)
    assert posting_rules.needs_approval(fresh, "hello") is None
    assert posting_rules.needs_approval(fallen, "hello")
    post = make_reply(thread=world.thread, author=fallen, body="I am back")
    assert post.is_pending and post.floor is None


def test_raising_the_level_holds_members_below_it(world, held, newbie):
    assert posting_rules.needs_approval(newbie, "hello")
    regular = UserFactory(reputation=50)
    assert posting_rules.needs_approval(regular, "hello") is None


def test_a_new_members_first_post_with_links_waits(world):
    newbie = UserFactory()
    two_links = "see https://a.example and www.b.example"
    assert posting_rules.needs_approval(newbie, two_links)
    assert posting_rules.needs_approval(newbie, "one link: https://a.example") is None
    User.objects.filter(pk=newbie.pk).update(post_count=1)
    newbie.refresh_from_db()
    assert posting_rules.needs_approval(newbie, two_links) is None  # not a first post
    veteran = UserFactory(reputation=60, date_joined=timezone.now() - timedelta(days=3))
    assert posting_rules.needs_approval(veteran, two_links) is None


def test_moderators_never_wait(world, held):
    for moderator in (world.mod_a, world.section_mod, world.global_mod, world.staff):
        assert posting_rules.needs_approval(moderator, "hi", board=world.board_a) is None
    assert posting_rules.needs_approval(world.mod_b, "hi", board=world.board_a)


# A held reply ------------------------------------------------------------------


def test_a_held_reply_is_invisible_and_counts_nothing(
    client, world, held, newbie, django_capture_on_commit_callbacks
):
    before = _counts(world, newbie)
    author_notices = Notification.objects.filter(recipient=world.author).count()
    with django_capture_on_commit_callbacks(execute=True):
        post = make_reply(thread=world.thread, author=newbie, body="Buy cheap @author now")
    assert post.is_pending and post.floor is None
    assert _counts(world, newbie) == before
    assert Thread.objects.get(pk=world.thread.pk).pending_count == 1
    # No watcher, starter or mention heard of it.
    assert Notification.objects.filter(recipient=world.author).count() == author_notices

    page = world.thread.get_absolute_url()
    assert "Buy cheap" not in client.get(page).content.decode()  # anonymous
    client.force_login(world.member)
    assert "Buy cheap" not in client.get(page).content.decode()
    assert client.get(reverse("forum:search"), {"q": "cheap"}).context["page"].paginator.count == 0
    client.force_login(world.mod_b)
    assert "Buy cheap" not in client.get(page).content.decode()
    assert client.get(reverse("forum:post", kwargs={"pk": post.pk})).status_code == 404
    client.logout()
    feed = client.get(reverse("forum:thread_feed", kwargs={"pk": world.thread.pk}))
    assert "Buy cheap" not in feed.content.decode()

    client.force_login(newbie)
    html = client.get(page).content.decode()
    assert "Buy cheap" in html and "Awaiting approval" in html
    client.force_login(world.mod_a)
    html = client.get(page).content.decode()
    assert "Buy cheap" in html and action_url(post, "approve") in html


def test_approving_a_reply_publishes_it_at_the_end(
    client, world, held, newbie, django_capture_on_commit_callbacks
):
    post = make_reply(thread=world.thread, author=newbie, body="A real fix for @member")
    client.get(world.thread.get_absolute_url())  # an anonymous copy is cached now
    before = _counts(world, newbie)
    client.force_login(world.mod_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_url(post, "approve"))
    assert response.status_code == 302
    post.refresh_from_db()
    assert not post.is_pending and post.floor == before["thread"][1] + 1
    after = _counts(world, newbie)
    assert after["thread"] == (before["thread"][0] + 1, post.floor, "newbie")
    assert after["board"][1:] == (before["board"][1] + 1, "newbie")
    assert after["user"] == (0, 1)
    assert Thread.objects.get(pk=world.thread.pk).pending_count == 0
    # The starter (a watcher), the mentioned member and the author hear of it now.
    assert Notification.objects.filter(recipient=world.author, kind=NotificationKind.REPLY).exists()
    assert Notification.objects.filter(
        recipient=world.member, kind=NotificationKind.MENTION
    ).exists()
    notice = Notification.objects.get(recipient=newbie, kind=NotificationKind.MODERATION)
    assert "approved" in notice.text
    assert AuditLog.objects.filter(action="post_approve", target_id=post.pk).count() == 1
    client.logout()
    assert "A real fix" in client.get(world.thread.get_absolute_url()).content.decode()


def test_rejecting_a_reply_hides_it_with_the_reason(client, world, held, newbie):
    post = make_reply(thread=world.thread, author=newbie, body="Spammy spam")
    before = _counts(world, newbie)
    client.force_login(world.mod_a)
    assert client.post(action_url(post, "reject"), {"reason": ""}).status_code == 302
    assert Post.objects.get(pk=post.pk).is_pending  # a reason is needed
    client.post(action_url(post, "reject"), {"reason": "Advertising"})
    post.refresh_from_db()
    assert (post.is_pending, post.is_hidden, post.hidden_reason) == (False, True, "Advertising")
    assert post.floor is None and _counts(world, newbie) == before
    assert Thread.objects.get(pk=world.thread.pk).pending_count == 0
    notice = Notification.objects.get(recipient=newbie, kind=NotificationKind.MODERATION)
    assert "not approved" in notice.text and notice.excerpt == "Advertising"
    assert AuditLog.objects.filter(action="post_reject", subject=newbie).count() == 1
    client.force_login(world.member)
    assert "Spammy" not in client.get(world.thread.get_absolute_url()).content.decode()


# A held thread -----------------------------------------------------------------


def test_a_held_thread_waits_outside_every_list(client, world, held, newbie):
    before = _counts(world, newbie)
    thread = make_thread(board=world.board_a, author=newbie, title="Free unlock tool here")
    assert thread.is_pending and thread.posts.get().is_pending
    assert _counts(world, newbie) == before
    for viewer in (None, world.member, world.mod_b):
        client.logout()
        if viewer:
            client.force_login(viewer)
        assert "Free unlock" not in client.get(world.board_a.get_absolute_url()).content.decode()
        assert client.get(thread.get_absolute_url()).status_code == 404
        assert "Free unlock" not in client.get(reverse("forum:index")).content.decode()
    client.logout()
    assert "Free unlock" not in client.get(reverse("forum:feed_latest")).content.decode()
    search = client.get(reverse("forum:search"), {"q": "unlock"})
    assert search.context["page"].paginator.count == 0

    client.force_login(newbie)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "awaiting approval" in html and "Free unlock" in html
    client.force_login(world.mod_a)
    assert "Free unlock" in client.get(world.board_a.get_absolute_url()).content.decode()
    queue = client.get(reverse("moderation:approvals"))
    assert [p.pk for p in queue.context["page"].object_list] == [thread.posts.get().pk]


def test_approving_a_thread_publishes_it(
    client, world, held, newbie, django_capture_on_commit_callbacks
):
    services.board_watch(user=world.member, board=world.board_a)
    thread = make_thread(board=world.board_a, author=newbie, title="Camera fix for 14 Pro")
    before = _counts(world, newbie)
    client.force_login(world.section_mod)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(action_url(thread.posts.get(), "approve"))
    thread.refresh_from_db()
    assert not thread.is_pending and not thread.posts.get().is_pending
    after = _counts(world, newbie)
    assert after["board"] == (before["board"][0] + 1, before["board"][1] + 1, "newbie")
    assert after["user"] == (1, 1)
    assert Notification.objects.filter(
        recipient=world.member, kind=NotificationKind.NEW_THREAD
    ).exists()
    assert AuditLog.objects.filter(action="thread_approve", target_id=thread.pk).exists()
    client.logout()
    assert "Camera fix" in client.get(world.board_a.get_absolute_url()).content.decode()
    assert "Camera fix" in client.get(reverse("forum:feed_latest")).content.decode()
    assert client.get(reverse("forum:search"), {"q": "camera"}).context["page"].paginator.count


def test_a_rejected_thread_is_hidden_and_can_be_restored(client, world, held, newbie):
    thread = make_thread(board=world.board_a, author=newbie, title="Spam thread")
    before = _counts(world, newbie)
    moderation_services.pending_reject(post=thread.posts.get(), actor=world.mod_a, reason="Spam")
    thread.refresh_from_db()
    assert (thread.is_pending, thread.is_hidden, thread.hidden_reason) == (False, True, "Spam")
    assert _counts(world, newbie) == before

    moderation_services.thread_restore(thread=thread, actor=world.mod_a)
    after = _counts(world, newbie)
    assert after["board"][:2] == (before["board"][0] + 1, before["board"][1] + 1)
    assert after["user"] == (1, 1)


def test_pending_content_cannot_be_replied_to_liked_or_hidden(client, world, held, newbie):
    thread = make_thread(board=world.board_a, author=newbie, title="Waiting thread")
    client.force_login(newbie)
    response = client.post(reverse("forum:reply", kwargs={"pk": thread.pk}), {"body": "bump"})
    assert response.status_code == 403
    post = make_reply(thread=world.thread, author=newbie, body="held reply")
    client.force_login(world.mod_a)
    client.post(
        reverse("moderation:post_action", kwargs={"pk": post.pk, "action": "hide"}),
        {"reason": "x"},
    )
    assert Post.objects.get(pk=post.pk).is_pending


def test_held_reply_redirects_its_author_to_where_it_waits(client, world, held, newbie):
    client.force_login(newbie)
    response = client.post(
        reverse("forum:reply", kwargs={"pk": world.thread.pk}), {"body": "my first reply"}
    )
    post = Post.objects.get(author=newbie)
    assert response["Location"] == reverse("forum:post", kwargs={"pk": post.pk})
    page = client.get(response["Location"])
    assert page.status_code == 302 and page["Location"].endswith(f"#post-{post.pk}")
    assert "my first reply" in client.get(page["Location"]).content.decode()


def test_merging_keeps_held_replies_waiting(world, held, newbie):
    post = make_reply(thread=world.other, author=newbie, body="held in other")

    moderation_services.thread_merge(source=world.other, target=world.thread, actor=world.staff)
    post.refresh_from_db()
    target = Thread.objects.get(pk=world.thread.pk)
    assert post.is_pending and post.floor is None and post.thread_id == target.pk
    assert target.pending_count == 1
    floors = list(Post.objects.filter(thread=target, floor__isnull=False).values_list("floor"))
    assert sorted(f for (f,) in floors) == list(range(1, target.last_floor + 1))


def test_a_held_reply_leaves_no_unread_mark_for_readers(client, world, held, newbie):
    client.force_login(world.member)
    client.get(world.thread.get_absolute_url())  # read to the end
    make_reply(thread=world.thread, author=newbie, body="held")
    page = client.get(world.board_a.get_absolute_url()).context["page"]
    [thread] = [t for t in page.object_list if t.pk == world.thread.pk]
    assert not thread.is_unread


def test_the_approval_queue_lists_only_my_boards_oldest_first(client, world, held, newbie):
    first = make_reply(thread=world.thread, author=newbie, body="first")
    elsewhere = make_thread(board=world.board_b, author=newbie, title="In B").posts.get()
    second = make_reply(thread=world.other, author=newbie, body="second")
    client.force_login(world.mod_a)
    queue = client.get(reverse("moderation:approvals")).context
    assert [p.pk for p in queue["page"].object_list] == [first.pk, second.pk]
    assert queue["counts"].approvals == 2
    client.force_login(world.global_mod)
    queue = client.get(reverse("moderation:approvals")).context
    assert [p.pk for p in queue["page"].object_list] == [first.pk, elsewhere.pk, second.pk]
