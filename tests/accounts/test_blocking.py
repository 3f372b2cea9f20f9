"""Blocking members: the list, their posts folded on thread pages (query count unchanged),
their mentions, replies and likes kept from me, moderator warnings let through."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from accounts import services as account_services
from accounts.models import Block, Notification, User
from forum import services
from forum.models import Post
from tests.factories import BoardFactory, UserFactory, long_thread, make_reply, make_thread
from tests.forum.test_query_counts import THREAD_PAGE_MEMBER

pytestmark = pytest.mark.django_db


def test_blocking_twice_is_one_row_and_one_count():
    me, troll = UserFactory(), UserFactory()
    assert account_services.block_add(blocker=me, blocked=troll)
    assert not account_services.block_add(blocker=me, blocked=troll)
    assert Block.objects.filter(blocker=me).count() == 1
    assert User.objects.get(pk=me.pk).block_count == 1
    assert account_services.block_remove(blocker=me, blocked=troll)
    assert User.objects.get(pk=me.pk).block_count == 0


def test_nobody_blocks_themselves_not_even_in_the_database():
    me = UserFactory()
    with pytest.raises(Exception, match="yourself"):
        account_services.block_add(blocker=me, blocked=me)
    with pytest.raises(IntegrityError):
        Block.objects.create(blocker=me, blocked=me)


def test_the_block_count_is_repaired_from_the_rows():
    me, troll = UserFactory(), UserFactory()
    account_services.block_add(blocker=me, blocked=troll)
    User.objects.filter(pk=me.pk).update(block_count=9)
    assert account_services.blocks_sync_count() == 1
    assert User.objects.get(pk=me.pk).block_count == 1


def test_the_block_list_page_blocks_by_name_and_unblocks(client):
    me, troll = UserFactory(), UserFactory()
    client.force_login(me)
    response = client.post(reverse("accounts:blocks"), {"username": f"@{troll.username}"})
    assert response.status_code == 302
    assert troll.username in client.get(reverse("accounts:blocks")).content.decode()
    bad = client.post(reverse("accounts:blocks"), {"username": me.username})
    assert bad.status_code == 400 and "yourself" in bad.content.decode()
    client.post(reverse("accounts:unblock", args=[troll.username]))
    assert not Block.objects.exists()


def test_anonymous_visitors_cannot_block(client):
    troll = UserFactory()
    response = client.post(reverse("accounts:block", args=[troll.username]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Block.objects.exists()


def test_a_blocked_members_posts_fold_for_me_only_at_the_same_query_count(
    client, django_assert_num_queries
):
    thread = long_thread(BoardFactory(), 30)
    troll = Post.objects.get(thread=thread, floor=2).author
    me = UserFactory()
    account_services.block_add(blocker=me, blocked=troll)
    me.refresh_from_db()
    client.force_login(me)
    # One query more than a member who blocks nobody: the block list (the id list).
    with django_assert_num_queries(THREAD_PAGE_MEMBER + 1):
        page = client.get(thread.get_absolute_url()).content.decode()
    folded = Post.objects.filter(thread=thread, author=troll, floor__lte=20).count()
    assert folded and page.count('class="card blocked-post"') == folded
    other = UserFactory()
    client.force_login(other)
    with django_assert_num_queries(THREAD_PAGE_MEMBER):
        unblocked = client.get(thread.get_absolute_url()).content.decode()
    assert "blocked-post" not in unblocked
    client.logout()
    assert "blocked-post" not in client.get(thread.get_absolute_url()).content.decode()


def test_replies_mentions_and_likes_from_a_blocked_member_do_not_reach_me(
    django_capture_on_commit_callbacks,
):
    me, troll, friend = UserFactory(), UserFactory(), UserFactory()
    thread = make_thread(author=me)
    account_services.block_add(blocker=me, blocked=troll)
    me.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        reply = make_reply(thread=thread, author=troll, body=f"@{me.username} look at this")
        make_reply(thread=thread, author=friend, body=f"@{me.username} hello")
    services.post_like(user=troll, post=thread.posts.get(floor=1))
    kinds = set(Notification.objects.filter(recipient=me).values_list("actor_id", flat=True))
    assert troll.pk not in kinds and friend.pk in kinds
    assert reply.pk  # the reply itself is written: only its notifications stop


def test_a_moderation_notice_from_a_blocked_moderator_still_arrives():
    me, moderator = UserFactory(), UserFactory(is_global_moderator=True)
    account_services.block_add(blocker=me, blocked=moderator)
    me.refresh_from_db()
    notification = account_services.notification_create(
        recipient=me,
        kind="moderation",
        target_url="/",
        title_key="forum.message_warning",
        title_params={"title": "x"},
        actor=moderator,
    )
    assert notification is not None
