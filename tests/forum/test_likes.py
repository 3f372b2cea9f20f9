"""Liking posts: one like per member and post, counters, grouped notifications, pages."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Notification, NotificationKind, User
from forum import services
from forum.models import Board, Post, PostLike, Thread
from tests.factories import (
    BoardFactory,
    StaffFactory,
    UserFactory,
    long_thread,
    make_reply,
    make_thread,
)
from tests.forum.test_query_counts import THREAD_PAGE_MEMBER
from tests.utils import postgresql_only, run_at_once

pytestmark = pytest.mark.django_db


def _post(board=None, author=None) -> Post:
    thread = make_thread(board=board or BoardFactory(), author=author or UserFactory())
    return Post.objects.select_related("thread__board", "author").get(thread=thread, floor=1)


def _like_count(post) -> int:
    return Post.objects.values_list("like_count", flat=True).get(pk=post.pk)


def test_a_like_counts_once_and_makes_one_row(member):
    post = _post()
    assert services.post_like(post=post, user=member) is True
    assert services.post_like(post=post, user=member) is False
    assert _like_count(post) == 1
    assert PostLike.objects.filter(post=post, user=member).count() == 1


def test_a_like_that_lost_the_race_does_not_count_again(member):
    post = _post()
    # The other tab's insert already landed: the constraint answers, the counter stays put.
    PostLike.objects.create(post=post, user=member)
    assert services.post_like(post=post, user=member) is False
    assert _like_count(post) == 0
    assert PostLike.objects.filter(post=post).count() == 1


def test_liking_your_own_post_is_refused(member):
    post = _post(author=member)
    with pytest.raises(PermissionDenied, match="your own"):
        services.post_like(post=post, user=member)
    assert not PostLike.objects.exists() and _like_count(post) == 0


def test_liking_a_hidden_post_is_refused_and_nothing_is_written(member, staff):
    post = _post()
    Post.objects.filter(pk=post.pk).update(is_hidden=True)
    post.refresh_from_db()
    for user in (member, staff):
        with pytest.raises(PermissionDenied, match="hidden"):
            services.post_like(post=post, user=user)
    assert not PostLike.objects.exists() and _like_count(post) == 0
    assert not Notification.objects.exists()


def test_liking_a_post_in_a_board_you_cannot_read_is_refused(member):
    post = _post(board=BoardFactory(visibility=Board.Visibility.STAFF), author=StaffFactory())
    with pytest.raises(PermissionDenied):
        services.post_like(post=post, user=member)
    assert not PostLike.objects.exists()


def test_unlike_takes_the_like_back_and_never_goes_below_zero(member):
    post = _post()
    services.post_like(post=post, user=member)
    assert services.post_unlike(post=post, user=member) is True
    assert _like_count(post) == 0 and not PostLike.objects.exists()
    assert services.post_unlike(post=post, user=member) is False
    assert _like_count(post) == 0

    # A row the counter never saw (say, restored by hand): unliking removes it, floor stays 0.
    PostLike.objects.create(post=post, user=member)
    assert services.post_unlike(post=post, user=member) is True
    assert _like_count(post) == 0


def test_the_repair_path_recounts_likes_from_rows(member):
    post = _post()
    PostLike.objects.create(post=post, user=member)
    PostLike.objects.create(post=post, user=UserFactory())
    services.post_sync_like_count(post=post)
    assert _like_count(post) == 2


def test_likes_on_one_post_fold_into_one_notification():
    author = UserFactory()
    post = _post(author=author)
    likers = [UserFactory() for _ in range(3)]
    for liker in likers:
        services.post_like(post=post, user=liker)

    notification = Notification.objects.get(recipient=author)
    assert notification.kind == NotificationKind.LIKE
    assert notification.count == 3
    assert notification.actor_name == likers[-1].username
    assert notification.group_key == f"like:post:{post.pk}"
    assert notification.target_url == f"/t/{post.thread_id}/1"
    assert User.objects.get(pk=author.pk).unread_notifications == 1


def test_likes_turned_off_make_no_notification(member):
    author = UserFactory(notification_settings={"like": "off"})
    services.post_like(post=_post(author=author), user=member)
    assert not Notification.objects.filter(recipient=author).exists()
    assert User.objects.get(pk=author.pk).unread_notifications == 0


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_tabs_liking_at_the_same_moment_make_one_like():
    post = _post()
    liker = UserFactory()

    def like(_tab, wait):
        wait()
        return services.post_like(post=post, user=liker)

    results, errors = run_at_once(range(2), like)

    assert errors == []
    assert sorted(results) == [False, True]
    assert _like_count(post) == 1 and PostLike.objects.filter(post=post).count() == 1
    assert Notification.objects.get(recipient=post.author).count == 1


# Over HTTP ---------------------------------------------------------------------


def test_like_button_without_js_posts_and_returns_to_the_floor(member_client, member):
    post = _post()
    reply = make_reply(thread=post.thread)
    response = member_client.post(reverse("forum:post_like", args=[reply.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{post.thread.get_absolute_url()}?page=1#floor-2"
    assert _like_count(reply) == 1

    html = member_client.get(post.thread.get_absolute_url()).content.decode()
    assert reverse("forum:post_unlike", args=[reply.pk]) in html  # the viewer's like shows
    assert reverse("forum:post_like", args=[post.pk]) in html
    assert "1 like" in html

    member_client.post(reverse("forum:post_unlike", args=[reply.pk]))
    assert _like_count(reply) == 0


def test_htmx_like_swaps_the_button_in_place(member_client):
    post = _post()
    response = member_client.post(
        reverse("forum:post_like", args=[post.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="likes-{post.pk}"' in html and "Liked" in html and "1 like" in html
    assert reverse("forum:post_unlike", args=[post.pk]) in html

    response = member_client.post(
        reverse("forum:post_unlike", args=[post.pk]), headers={"HX-Request": "true"}
    )
    assert reverse("forum:post_like", args=[post.pk]) in response.content.decode()
    assert _like_count(post) == 0


def test_staff_see_no_like_button_in_a_hidden_thread(client, staff):
    post = _post()
    Thread.objects.filter(pk=post.thread_id).update(is_hidden=True)
    client.force_login(staff)
    html = client.get(post.thread.get_absolute_url()).content.decode()
    assert post.thread.title in html
    assert reverse("forum:post_like", args=[post.pk]) not in html
    response = client.post(reverse("forum:post_like", args=[post.pk]), follow=True)
    assert "This post has been hidden." in response.content.decode()
    assert not PostLike.objects.exists()


def test_a_refused_like_without_js_goes_back_to_the_floor_saying_why(member_client, member):
    post = _post(author=member)
    response = member_client.post(reverse("forum:post_like", args=[post.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{post.thread.get_absolute_url()}?page=1#floor-1"
    page = member_client.get(response["Location"]).content.decode()
    assert "You cannot like your own post." in page
    assert not PostLike.objects.exists()


def test_like_of_a_hidden_or_missing_post_over_http_is_404(member_client):
    post = _post()
    Post.objects.filter(pk=post.pk).update(is_hidden=True)
    assert member_client.post(reverse("forum:post_like", args=[post.pk])).status_code == 404
    assert member_client.post(reverse("forum:post_like", args=[999_999])).status_code == 404
    assert not PostLike.objects.exists()


def test_like_in_a_staff_board_over_http_is_403_for_members(member_client):
    post = _post(board=BoardFactory(visibility=Board.Visibility.STAFF), author=StaffFactory())
    assert member_client.post(reverse("forum:post_like", args=[post.pk])).status_code == 403
    assert not PostLike.objects.exists()


def test_liking_needs_sign_in_and_a_post(client, member):
    post = _post()
    response = client.post(reverse("forum:post_like", args=[post.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(member)
    assert client.get(reverse("forum:post_like", args=[post.pk])).status_code == 405
    assert not PostLike.objects.exists()


def test_liked_by_lists_likers_newest_first_and_paginates(client, settings):
    settings.POPCORN = {**settings.POPCORN, "LIKERS_PER_PAGE": 2}
    post = _post()
    likers = [UserFactory(username=f"liker{i}") for i in range(3)]
    for liker in likers:
        services.post_like(post=post, user=liker)

    url = reverse("forum:post_likers", args=[post.pk])
    first = client.get(url)
    assert [like.user.username for like in first.context["page"]] == ["liker2", "liker1"]
    second = client.get(url + "?page=2", headers={"HX-Request": "true"})
    assert [like.user.username for like in second.context["page"]] == ["liker0"]
    assert "<html" not in second.content.decode()  # a fragment for htmx


def test_liked_by_of_a_post_you_cannot_read_is_refused(client, member):
    post = _post(board=BoardFactory(visibility=Board.Visibility.STAFF), author=StaffFactory())
    url = reverse("forum:post_likers", args=[post.pk])
    assert client.get(url).status_code == 403
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert client.get(reverse("forum:post_likers", args=[12345])).status_code == 404


def test_the_viewers_likes_cost_one_query_whatever_the_page(
    client, member, django_assert_num_queries
):
    thread = long_thread(BoardFactory(), 100)
    for post in Post.objects.filter(thread=thread, floor__in=[3, 4, 85]):
        PostLike.objects.create(post=post, user=member)
    client.force_login(member)
    with django_assert_num_queries(THREAD_PAGE_MEMBER):
        first = client.get(thread.get_absolute_url())
    with django_assert_num_queries(THREAD_PAGE_MEMBER):
        fifth = client.get(thread.get_absolute_url() + "?page=5")
    assert [p.floor for p in first.context["page"].posts if p.liked_by_viewer] == [3, 4]
    assert [p.floor for p in fifth.context["page"].posts if p.liked_by_viewer] == [85]


def test_a_like_shows_at_once_on_the_cached_anonymous_page(
    client, member, django_capture_on_commit_callbacks
):
    post = _post()
    url = post.thread.get_absolute_url()
    assert "1 like" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_like(post=post, user=member)
    assert "1 like" in client.get(url).content.decode()
