"""Editing posts: who may, until when, and the history each edit keeps."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, NotificationKind, User
from forum import permissions, services
from forum.models import Board, Post, PostRevision, Thread
from tests.factories import BoardFactory, StaffFactory, UserFactory, make_reply, make_thread
from tests.utils import postgresql_only, run_at_once

pytestmark = pytest.mark.django_db


def _age(post, **delta) -> Post:
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(**delta))
    return Post.objects.select_related("thread__board").get(pk=post.pk)


def _mentions(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, kind=NotificationKind.MENTION).values_list(
            "target_url", flat=True
        )
    )


def _edit_url(post) -> str:
    return reverse("forum:post_edit", args=[post.pk])


def test_author_edits_within_the_window_and_a_revision_keeps_the_old_text(
    member_client, member, board
):
    thread = make_thread(board=board)
    post = make_reply(thread=thread, author=member, body="Battery drains **fast**")

    form = member_client.get(_edit_url(post))
    assert form.status_code == 200
    assert "Battery drains **fast**" in form.content.decode()
    assert "title" not in form.context["form"].fields  # only the opening post has one

    response = member_client.post(_edit_url(post), {"body": "Fixed by *14.0.4*"})
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url()

    post.refresh_from_db()
    assert post.source == "Fixed by *14.0.4*"
    assert post.html == "<p>Fixed by <em>14.0.4</em></p>\n"
    assert post.edit_count == 1 and post.edited_at is not None
    revision = post.revisions.get()
    assert revision.old_source == "Battery drains **fast**"
    assert revision.editor == member and revision.editor_name == member.username


def test_each_edit_keeps_its_own_revision_and_counts(member, board):
    post = make_reply(thread=make_thread(board=board), author=member, body="one")
    post = services.post_edit(post=post, editor=member, body="two")
    post = services.post_edit(post=post, editor=member, body="three")
    assert post.edit_count == 2 and post.source == "three"
    assert [r.old_source for r in post.revisions.all()] == ["two", "one"]  # newest first


def test_an_unchanged_body_writes_no_revision(member, board):
    post = make_reply(thread=make_thread(board=board), author=member, body="same text")
    services.post_edit(post=post, editor=member, body="  same text \n")
    post.refresh_from_db()
    assert post.edit_count == 0 and post.edited_at is None
    assert not PostRevision.objects.exists()


@pytest.mark.parametrize("body", ["", "   ", "x" * 20_001])
def test_an_edit_is_validated_like_a_reply(member, board, body):
    post = make_reply(thread=make_thread(board=board), author=member, body="original")
    with pytest.raises(ValidationError) as excinfo:
        services.post_edit(post=post, editor=member, body=body)
    assert "body" in excinfo.value.message_dict
    post.refresh_from_db()
    assert post.source == "original" and not PostRevision.objects.exists()


def test_edit_after_the_window_is_refused(settings, member_client, member, board):
    settings.POPCORN = {**settings.POPCORN, "POST_EDIT_WINDOW_SECONDS": 60}
    post = _age(make_reply(thread=make_thread(board=board), author=member, body="old"), minutes=2)

    response = member_client.post(_edit_url(post), {"body": "rewritten history"})
    assert response.status_code == 403
    assert "within 1\xa0minute of posting" in response.content.decode()
    with pytest.raises(PermissionDenied):
        services.post_edit(post=post, editor=member, body="rewritten history")
    post.refresh_from_db()
    assert post.source == "old" and post.edit_count == 0


def test_the_window_comes_from_settings_and_defaults_to_a_day(settings, member, board):
    assert settings.POPCORN["POST_EDIT_WINDOW_SECONDS"] == 24 * 60 * 60
    post = make_reply(thread=make_thread(board=board), author=member)
    assert permissions.can_edit_post(member, _age(post, hours=23))
    assert not permissions.can_edit_post(member, _age(post, hours=25))


def test_another_member_cannot_edit(client, member, board):
    post = make_reply(thread=make_thread(board=board), author=member, body="mine")
    client.force_login(UserFactory())
    assert client.get(_edit_url(post)).status_code == 403
    response = client.post(_edit_url(post), {"body": "not yours"})
    assert response.status_code == 403
    assert "your own posts" in response.content.decode()
    post.refresh_from_db()
    assert post.source == "mine" and not PostRevision.objects.exists()


def test_editing_needs_sign_in(client, member, board):
    post = make_reply(thread=make_thread(board=board), author=member)
    response = client.post(_edit_url(post), {"body": "anon"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_edit_any_post_any_time(client, member, staff, board):
    post = _age(
        make_reply(thread=make_thread(board=board), author=member, body="IMEI 8612"), days=400
    )
    client.force_login(staff)
    response = client.post(_edit_url(post), {"body": "IMEI removed by staff"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.source == "IMEI removed by staff"
    assert post.revisions.get().editor == staff


def test_authors_cannot_edit_in_a_locked_thread_but_staff_can(member, staff, board):
    post = make_reply(thread=make_thread(board=board), author=member)
    Thread.objects.filter(pk=post.thread_id).update(is_locked=True)
    post = Post.objects.select_related("thread__board").get(pk=post.pk)
    assert not permissions.can_edit_post(member, post)
    assert permissions.can_edit_post(staff, post)


@pytest.mark.parametrize("hide", ["post", "thread"])
def test_hidden_posts_cannot_be_edited_even_by_staff(member, staff, board, hide):
    post = make_reply(thread=make_thread(board=board), author=member, body="before")
    if hide == "post":
        Post.objects.filter(pk=post.pk).update(is_hidden=True)
    else:
        Thread.objects.filter(pk=post.thread_id).update(is_hidden=True)
    post = Post.objects.select_related("thread__board").get(pk=post.pk)
    for editor in (member, staff):
        with pytest.raises(PermissionDenied):
            services.post_edit(post=post, editor=editor, body="after")
    post.refresh_from_db()
    assert post.source == "before"


def test_a_post_hidden_after_it_was_loaded_still_refuses_the_edit(member, board):
    post = make_reply(thread=make_thread(board=board), author=member, body="before")
    Post.objects.filter(pk=post.pk).update(is_hidden=True)  # post object is now stale
    with pytest.raises(PermissionDenied):
        services.post_edit(post=post, editor=member, body="after")
    assert not PostRevision.objects.exists()


def test_the_opening_post_can_retitle_its_thread(member_client, member, board):
    thread = make_thread(board=board, author=member, title="Camera crash")
    opening = thread.posts.get()
    form = member_client.get(_edit_url(opening))
    assert form.context["form"]["title"].value() == "Camera crash"

    response = member_client.post(
        _edit_url(opening), {"title": "Camera crash [solved]", "body": "It drains."}
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    board.refresh_from_db()
    assert thread.title == "Camera crash [solved]" and thread.slug == "camera-crash-solved"
    assert board.last_thread_title == "Camera crash [solved]"
    assert not PostRevision.objects.exists()  # the body did not change


def test_edited_html_is_re_rendered_and_sanitized(member_client, member, board):
    thread = make_thread(board=board)
    post = make_reply(thread=thread, author=member, body="harmless")
    member_client.post(
        _edit_url(post),
        {"body": "<script>alert(1)</script> [x](javascript:alert(2)) **bold**"},
    )
    html = member_client.get(thread.get_absolute_url()).content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_the_post_shows_edited_with_a_link_to_its_history(member_client, member, board):
    thread = make_thread(board=board)
    post = make_reply(thread=thread, author=member, body="first")
    html = member_client.get(thread.get_absolute_url()).content.decode()
    assert _edit_url(post) in html
    assert reverse("forum:post_revisions", args=[post.pk]) not in html

    services.post_edit(post=post, editor=member, body="second")
    html = member_client.get(thread.get_absolute_url()).content.decode()
    assert reverse("forum:post_revisions", args=[post.pk]) in html
    assert ">edited<" in html


def test_others_see_edited_but_no_edit_link_and_no_history(client, member, board):
    thread = make_thread(board=board)
    post = make_reply(thread=thread, author=member, body="first")
    services.post_edit(post=post, editor=member, body="second")
    client.force_login(UserFactory())
    html = client.get(thread.get_absolute_url()).content.decode()
    assert ">edited<" in html
    assert _edit_url(post) not in html
    assert reverse("forum:post_revisions", args=[post.pk]) not in html
    assert client.get(reverse("forum:post_revisions", args=[post.pk])).status_code == 403


def test_revisions_page_shows_old_text_newest_first_rendered_safely(
    member_client, member, staff, client, board
):
    post = make_reply(thread=make_thread(board=board), author=member, body="v1 <script>x</script>")
    services.post_edit(post=post, editor=member, body="v2 **strong**")
    services.post_edit(post=post, editor=member, body="v3 now")
    url = reverse("forum:post_revisions", args=[post.pk])

    html = member_client.get(url).content.decode()
    assert html.index("v3 now") < html.index("v2 <strong>strong</strong>") < html.index("v1 ")
    assert "<script>x" not in html and "&lt;script&gt;x" in html

    client.force_login(staff)
    assert "v1 " in client.get(url).content.decode()


def test_an_edit_refreshes_the_cached_anonymous_page(
    client, member, board, django_capture_on_commit_callbacks
):
    thread = make_thread(board=board)
    post = make_reply(thread=thread, author=member, body="typo in teh text")
    client.get(thread.get_absolute_url())  # fill the cache
    with django_capture_on_commit_callbacks(execute=True):
        services.post_edit(post=post, editor=member, body="typo fixed in the text")
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "typo fixed in the text" in html and "teh" not in html


def test_an_edit_does_not_notify_a_mentioned_member_again(
    member, board, django_capture_on_commit_callbacks
):
    mentioned, added = UserFactory(username="mira12"), UserFactory(username="ann7")
    thread = make_thread(board=board)
    with django_capture_on_commit_callbacks(execute=True):
        post = make_reply(thread=thread, author=member, body="hi @mira12")
    assert _mentions(mentioned) == [post.get_absolute_url()]  # the post itself notifies once
    before = Notification.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        services.post_edit(post=post, editor=member, body="hi @mira12, and @ann7 too")

    html = Post.objects.get(pk=post.pk).html
    assert 'href="/u/mira12/"' in html and 'href="/u/ann7/"' in html  # the edit saw both
    assert _mentions(mentioned) == [post.get_absolute_url()]  # no second notification
    assert _mentions(added) == []  # an edit notifies nobody, not even a newly mentioned member
    assert Notification.objects.count() == before
    assert User.objects.get(pk=mentioned.pk).unread_notifications == 1


def test_members_of_a_staff_board_they_lost_access_to_cannot_edit(member, board):
    post = make_reply(thread=make_thread(board=board), author=member)
    Board.objects.filter(pk=board.pk).update(visibility=Board.Visibility.STAFF)
    post = Post.objects.select_related("thread__board").get(pk=post.pk)
    assert not permissions.can_edit_post(member, post)


def test_edit_page_of_a_hidden_thread_is_404_for_members(member_client, member):
    board = BoardFactory()
    post = make_reply(thread=make_thread(board=board), author=member)
    Thread.objects.filter(pk=post.thread_id).update(is_hidden=True)
    assert member_client.get(_edit_url(post)).status_code == 404


def test_staff_edit_a_hidden_thread_is_refused_with_a_reason(client, member):
    staff = StaffFactory()
    post = make_reply(thread=make_thread(board=BoardFactory()), author=member)
    Thread.objects.filter(pk=post.thread_id).update(is_hidden=True)
    client.force_login(staff)
    response = client.post(_edit_url(post), {"body": "changed"})
    assert response.status_code == 403
    assert "Hidden posts cannot be edited" in response.content.decode()


EDITORS = 10


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_each_keep_a_revision_of_the_text_they_replaced():
    post = make_reply(thread=make_thread(board=BoardFactory()), body="original")
    editors = [StaffFactory() for _ in range(EDITORS)]

    def edit(editor, wait):
        mine = Post.objects.select_related("thread__board").get(pk=post.pk)
        wait()  # every editor loaded the same text and saves at once
        services.post_edit(post=mine, editor=editor, body=f"text by {editor.username}")

    _, errors = run_at_once(editors, edit)

    assert errors == []
    post.refresh_from_db()
    old = list(post.revisions.values_list("old_source", flat=True))
    assert post.edit_count == EDITORS and len(old) == EDITORS
    # Each revision holds what its editor really overwrote: one chain, no text twice.
    assert sorted([*old, post.source]) == sorted(
        ["original", *(f"text by {e.username}" for e in editors)]
    )


def test_an_edit_is_searchable_by_its_new_words_and_not_its_old_ones(client, member, board):
    thread = make_thread(board=board, author=member, title="Modem crash", body="signal drops")
    services.post_edit(post=thread.posts.get(), editor=member, body="耗电很快 after update")

    def found(q):
        return [p.thread_id for p in client.get(reverse("forum:search"), {"q": q}).context["page"]]

    assert found("耗电") == [thread.pk]
    assert found("modem") == [thread.pk]  # the title is still part of floor 1
    assert found("drops") == []


def test_an_edit_links_new_mentions_without_notifying(member, board):
    other = UserFactory(username="xiaoming")
    post = make_thread(board=board, author=member).posts.get()
    services.post_edit(post=post, editor=member, body="thanks @xiaoming")
    assert 'href="/u/xiaoming/"' in Post.objects.get(pk=post.pk).html
    other.refresh_from_db()
    assert other.unread_notifications == 0
