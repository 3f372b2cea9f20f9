"""Starting threads and replying, through the service and over HTTP."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import User
from forum import services
from forum.models import Board, Post, Thread
from tests.factories import BoardFactory, DeviceFactory, UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def test_thread_create_writes_opening_post_and_counters(member, board):
    device = DeviceFactory(codename="houji")
    thread = services.thread_create(
        board=board,
        author=member,
        title="  Camera   crash on 14.0.3 ",
        body="Steps:\n\n1. open camera\n2. crash",
        thread_type="bug",
        device=device,
        firmware_version="14.0.3",
    )
    assert thread.title == "Camera crash on 14.0.3"
    assert thread.last_floor == 1 and thread.reply_count == 0
    opening = thread.posts.get()
    assert opening.floor == 1
    assert "<ol>" in opening.html and "<li>open camera</li>" in opening.html
    board.refresh_from_db()
    member.refresh_from_db()
    assert (board.thread_count, board.post_count) == (1, 1)
    assert board.last_thread_id == thread.pk and board.last_poster_name == member.username
    assert (member.thread_count, member.post_count) == (1, 1)


def test_replies_take_consecutive_floors_and_count(board):
    thread = make_thread(board=board)
    author = UserFactory()
    floors = [make_reply(thread=thread, author=author).floor for _ in range(3)]
    assert floors == [2, 3, 4]
    thread.refresh_from_db()
    board.refresh_from_db()
    author.refresh_from_db()
    assert thread.reply_count == 3 and thread.last_floor == 4
    assert thread.last_poster_name == author.username
    assert board.post_count == 4 and board.thread_count == 1
    assert author.post_count == 3 and author.thread_count == 0


def test_floors_are_never_reused_after_a_post_is_hidden(board):
    thread = make_thread(board=board)
    second = make_reply(thread=thread)
    Post.objects.filter(pk=second.pk).update(is_hidden=True)
    assert make_reply(thread=thread).floor == 3


def test_the_floor_is_unique_within_a_thread_by_constraint(board):
    from django.db import IntegrityError, transaction

    thread = make_thread(board=board)
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(thread=thread, floor=1, author_name="x", source="x", html="x")


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"body": ""}, "body"),
        ({"body": "x" * 20_001}, "body"),
        ({"firmware_version": "fourteen"}, "firmware_version"),
        ({"firmware_version": "V14.0.3.0.TMCCNXM; DROP TABLE"}, "firmware_version"),
    ],
)
def test_bad_thread_input_is_refused_and_nothing_is_written(member, board, fields, error_field):
    data = {"title": "Fine title", "body": "Fine body", **fields}
    with pytest.raises(ValidationError) as excinfo:
        services.thread_create(board=board, author=member, **data)
    assert error_field in excinfo.value.message_dict
    assert not Thread.objects.exists() and not Post.objects.exists()
    board.refresh_from_db()
    assert board.thread_count == 0


@pytest.mark.parametrize(
    "version", ["V14.0.3.0.TMCCNXM", "14.0.3", "OS1.0.5.0.UNCCNXM", "OS1.0.24.3.12.DEV", "2.0"]
)
def test_release_strings_are_accepted(member, board, version):
    thread = make_thread(board=board, author=member, firmware_version=version)
    assert thread.firmware_version == version


def test_limits_are_inclusive(member, board):
    thread = make_thread(board=board, author=member, title="t" * 200, body="b" * 20_000)
    assert len(thread.title) == 200


def test_replying_to_a_locked_thread_is_refused(board, member):
    thread = make_thread(board=board)
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    thread.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.post_reply(thread=thread, author=member, body="hello")
    thread.refresh_from_db()
    assert thread.reply_count == 0 and thread.posts.count() == 1


def test_a_thread_locked_after_it_was_loaded_still_refuses_the_reply(board, member):
    thread = make_thread(board=board)
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)  # thread object is now stale
    with pytest.raises(PermissionDenied):
        services.post_reply(thread=thread, author=member, body="hello")
    assert Post.objects.count() == 1


def test_staff_may_reply_to_a_locked_thread(board, staff):
    thread = make_thread(board=board)
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    thread.refresh_from_db()
    assert (
        services.post_reply(thread=thread, author=staff, body="Locked: fixed in 14.0.4").floor == 2
    )


def test_replying_to_a_hidden_thread_is_refused(board, member):
    thread = make_thread(board=board)
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    thread.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.post_reply(thread=thread, author=member, body="hello")


def test_staff_only_board_refuses_members_threads(member, staff):
    board = BoardFactory(posting=Board.Posting.STAFF)
    with pytest.raises(PermissionDenied):
        services.thread_create(board=board, author=member, title="Hi", body="Hi")
    assert services.thread_create(board=board, author=staff, title="Notice", body="Hi")


def test_an_unverified_email_cannot_post(board):
    unverified = UserFactory(verified=False)
    with pytest.raises(PermissionDenied, match="Confirm your email"):
        services.thread_create(board=board, author=unverified, title="Hi", body="Hi")


# Over HTTP: forms show the error, keep what was typed, write nothing.


def test_new_thread_form_shows_field_errors_and_keeps_input(member_client, board):
    response = member_client.post(
        reverse("forum:thread_create", args=[board.slug]),
        {"title": "", "thread_type": "bug", "firmware_version": "latest", "body": "My text"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "title" in form.errors and "firmware_version" in form.errors
    assert "My text" in response.content.decode()
    assert not Thread.objects.exists()


def test_new_thread_in_staff_only_board_is_403_for_members(member_client):
    board = BoardFactory(posting=Board.Posting.STAFF)
    response = member_client.post(
        reverse("forum:thread_create", args=[board.slug]),
        {"title": "Hi", "thread_type": "discussion", "body": "Hi"},
    )
    assert response.status_code == 403
    assert "Only staff" in response.content.decode()
    assert not Thread.objects.exists()


def test_new_thread_needs_sign_in(client, board):
    response = client.post(
        reverse("forum:thread_create", args=[board.slug]),
        {"title": "Hi", "thread_type": "discussion", "body": "Hi"},
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Thread.objects.exists()


def test_unverified_member_sees_why_and_nothing_is_written(client, board):
    client.force_login(UserFactory(verified=False))
    response = client.post(
        reverse("forum:thread_create", args=[board.slug]),
        {"title": "Hi", "thread_type": "discussion", "body": "Hi"},
    )
    assert response.status_code == 403
    assert "Confirm your email" in response.content.decode()
    assert not Thread.objects.exists()


def test_reply_to_locked_thread_over_http_is_refused(member_client, board):
    thread = make_thread(board=board)
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    response = member_client.post(reverse("forum:reply", args=[thread.pk]), {"body": "hello"})
    assert response.status_code == 403
    assert "locked" in response.content.decode()
    assert Post.objects.count() == 1


def test_empty_and_oversize_replies_show_errors(member_client, board):
    thread = make_thread(board=board)
    for body in ["", "   ", "x" * 20_001]:
        response = member_client.post(reverse("forum:reply", args=[thread.pk]), {"body": body})
        assert response.status_code == 200
        assert response.context["reply_form"].errors["body"]
    assert Post.objects.count() == 1


def test_htmx_reply_returns_the_new_post_and_a_fresh_form(member_client, board):
    thread = make_thread(board=board)
    response = member_client.post(
        reverse("forum:reply", args=[thread.pk]), {"body": "via *htmx*"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="floor-2"' in html and "<em>htmx</em>" in html
    assert 'hx-swap-oob="outerHTML:#reply-form"' in html


def test_htmx_reply_error_retargets_the_form(member_client, board):
    thread = make_thread(board=board)
    response = member_client.post(
        reverse("forum:reply", args=[thread.pk]), {"body": ""}, HTTP_HX_REQUEST="true"
    )
    assert response["HX-Retarget"] == "#reply-form"
    assert 'id="reply-form"' in response.content.decode()
    assert Post.objects.count() == 1


def test_posting_into_a_board_you_cannot_see_is_refused(member_client):
    board = BoardFactory(visibility=Board.Visibility.STAFF)
    response = member_client.post(
        reverse("forum:thread_create", args=[board.slug]),
        {"title": "Hi", "thread_type": "discussion", "body": "Hi"},
    )
    assert response.status_code == 403
    assert not Thread.objects.exists()


def test_deleting_an_author_keeps_their_posts_under_their_name(board):
    author = UserFactory(username="gone_fan")
    thread = make_thread(board=board, author=author)
    User.objects.filter(pk=author.pk).delete()
    post = Post.objects.get(thread=thread)
    assert post.author is None and post.author_name == "gone_fan"
