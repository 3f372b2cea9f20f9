"""Bookmarks: one per member and post (the constraint), only posts the member can see,
the bookmarks page pinned at 3 and 40 rows, the API."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from forum import services
from forum.models import Board, Bookmark, Post
from tests.factories import BoardFactory, UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db

# Session and user (2), one page of bookmarks with post and thread joined and the boards
# the member may read as a subquery (1), the header's moderation reach (1).
BOOKMARKS_PAGE = 4


def test_bookmarking_again_changes_the_note_not_the_count():
    me = UserFactory()
    post = make_thread().posts.get()
    services.bookmark_add(user=me, post=post, note="flash guide")
    services.bookmark_add(user=me, post=post, note="the   better   note")
    assert Bookmark.objects.get(user=me).note == "the better note"
    with pytest.raises(IntegrityError):
        Bookmark.objects.create(user=me, post=post)


def test_a_post_i_cannot_see_cannot_be_bookmarked(client):
    staff_board = BoardFactory(visibility=Board.Visibility.STAFF)
    post = make_thread(board=staff_board, author=UserFactory(is_staff=True)).posts.get()
    me = UserFactory()
    client.force_login(me)
    response = client.post(reverse("forum:bookmark_add", args=[post.pk]))
    assert response.status_code == 404
    assert not Bookmark.objects.exists()


def test_the_page_leaves_out_posts_hidden_since(client):
    me = UserFactory()
    thread = make_thread()
    kept, hidden = make_reply(thread=thread), make_reply(thread=thread)
    services.bookmark_add(user=me, post=kept, note="keep")
    services.bookmark_add(user=me, post=hidden)
    Post.objects.filter(pk=hidden.pk).update(is_hidden=True)
    client.force_login(me)
    page = client.get(reverse("forum:bookmarks")).content.decode()
    assert f"#{kept.floor}" in page and "keep" in page and f"#{hidden.floor}<" not in page


def test_bookmarking_and_removing_from_the_pages(client):
    me = UserFactory()
    thread = make_thread()
    client.force_login(me)
    page = client.get(thread.get_absolute_url()).content.decode()
    post = thread.posts.get()
    assert reverse("forum:bookmark_add", args=[post.pk]) in page
    response = client.post(reverse("forum:bookmark_add", args=[post.pk]), {"note": "n"})
    assert response.status_code == 302 and Bookmark.objects.filter(user=me).count() == 1
    client.post(reverse("forum:bookmark_remove", args=[post.pk]))
    assert not Bookmark.objects.exists()


def test_anonymous_visitors_cannot_bookmark(client):
    post = make_thread().posts.get()
    response = client.post(reverse("forum:bookmark_add", args=[post.pk]))
    assert response.status_code == 302 and not Bookmark.objects.exists()


@pytest.mark.parametrize("rows", [3, 40])
def test_the_bookmarks_page_queries_do_not_grow(client, django_assert_num_queries, rows):
    me = UserFactory()
    thread = make_thread()
    for _ in range(rows):
        services.bookmark_add(user=me, post=make_reply(thread=thread))
    client.force_login(me)
    with django_assert_num_queries(BOOKMARKS_PAGE):
        response = client.get(reverse("forum:bookmarks"))
    assert response.content.decode().count('action="/p/') == min(rows, 30)
    if rows > 30:
        with django_assert_num_queries(BOOKMARKS_PAGE):
            older = client.get(reverse("forum:bookmarks"), {"after": response.context["after"]})
        assert older.content.decode().count('action="/p/') == rows - 30
