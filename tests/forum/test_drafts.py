"""Drafts (issue 15): saved per member and target, restored, deleted on posting, private,
and a preview equal to what posting stores. Pages through the test client (no JavaScript)."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from forum import services
from forum.models import Board, BoardModerator, Draft, Post, ThreadType
from tests.factories import BoardFactory, DeviceFactory, StaffFactory, UserFactory, make_thread

pytestmark = pytest.mark.django_db

TRICKY = [
    "**bold** and @{name} and @nobody_here and foo@example.com",
    "> **@{name}** [wrote on #1](/t/1/1):\n> quoted @{name}\n\nmine",
    "<script>alert(1)</script> <img src=x onerror=alert(1)>",
    "[click](javascript:alert(1)) ![i](data:text/html,x) [ok](https://example.com)",
    "    indented code at the start\n\n`@{name}` in code",
    "| a | b |\n|:--|--:|\n| <b>x</b> | ~~y~~ |",
]


def silence(user):
    User.objects.filter(pk=user.pk).update(
        silenced_until=timezone.now() + timedelta(days=1), silence_reason="flame"
    )
    return User.objects.get(pk=user.pk)


# Services ------------------------------------------------------------------------------


def test_saving_twice_keeps_one_draft_per_member_and_target(member, board):
    thread = make_thread(board=board)
    services.draft_save(user=member, board=board, title="First", body="one")
    services.draft_save(user=member, board=board, title="Second", body="two")
    services.draft_save(user=member, thread=thread, body="a reply")
    services.draft_save(user=member, thread=thread, body="a better reply")
    other = UserFactory()
    services.draft_save(user=other, board=board, body="theirs")
    mine = Draft.objects.filter(user=member)
    assert mine.count() == 2
    assert mine.get(board=board).title == "Second"
    assert mine.get(thread=thread).body == "a better reply"
    assert Draft.objects.filter(user=other).count() == 1


def test_a_new_thread_draft_keeps_its_thread_fields(member, board):
    phone = DeviceFactory()
    draft = services.draft_save(
        user=member,
        board=board,
        title="  Battery   drain ",
        body="It drains.",
        thread_type=ThreadType.BUG,
        device=phone,
        firmware_version="V14.0.",
    )
    draft.refresh_from_db()
    assert (draft.title, draft.thread_type, draft.device, draft.firmware_version) == (
        "Battery drain",
        ThreadType.BUG,
        phone,
        "V14.0.",
    )


def test_an_empty_draft_is_deleted(member, board):
    services.draft_save(user=member, board=board, title="x", body="y")
    assert services.draft_save(user=member, board=board, title=" ", body="\n") is None
    assert not Draft.objects.exists()


def test_a_draft_longer_than_a_post_is_refused_whole(member, board, settings):
    settings.POPCORN = {**settings.POPCORN, "POST_MAX_LENGTH": 10}
    with pytest.raises(ValidationError) as caught:
        services.draft_save(user=member, board=board, title="t", body="x" * 11)
    assert "body" in caught.value.message_dict
    assert not Draft.objects.exists()
    with pytest.raises(ValidationError):
        services.draft_save(user=member, board=board, body="ok", thread_type="event")


def test_posting_a_reply_deletes_its_draft_only(member, board):
    thread, other_thread = make_thread(board=board), make_thread(board=board)
    services.draft_save(user=member, thread=thread, body="draft")
    services.draft_save(user=member, thread=other_thread, body="keep")
    services.draft_save(user=member, board=board, title="keep", body="keep")
    services.post_reply(thread=thread, author=member, body="posted")
    assert list(Draft.objects.values_list("body", flat=True).order_by("id")) == ["keep", "keep"]


def test_starting_a_thread_deletes_its_draft(member, board):
    services.draft_save(user=member, board=board, title="Draft", body="draft")
    services.thread_create(board=board, author=member, title="Posted", body="posted")
    assert not Draft.objects.exists()


def test_a_failed_post_keeps_the_draft(member, board):
    thread = make_thread(board=board)
    services.draft_save(user=member, thread=thread, body="draft")
    with pytest.raises(ValidationError):
        services.post_reply(thread=thread, author=member, body="   ")
    assert Draft.objects.filter(user=member, thread=thread).exists()


@pytest.mark.parametrize("who", ["anonymous", "silenced", "suspended", "locked", "staff_board"])
def test_drafts_are_saved_only_where_the_member_may_post(who, board):
    member = UserFactory()
    thread = make_thread(board=board)
    target = {"thread": thread}
    if who == "anonymous":
        from django.contrib.auth.models import AnonymousUser

        member = AnonymousUser()
    elif who == "silenced":
        member = silence(member)
    elif who == "suspended":
        User.objects.filter(pk=member.pk).update(
            suspended_until=timezone.now() + timedelta(days=1), suspension_reason="spam"
        )
        member = User.objects.get(pk=member.pk)
    elif who == "locked":
        thread.is_locked = True
        thread.save(update_fields=["is_locked"])
    else:
        target = {"board": BoardFactory(posting=Board.Posting.STAFF)}
    with pytest.raises(PermissionDenied):
        services.draft_save(user=member, body="words", **target)
    assert not Draft.objects.exists()


def test_a_board_moderator_keeps_drafting_in_a_locked_thread(board):
    moderator = UserFactory()
    BoardModerator.objects.create(board=board, user=moderator)
    thread = make_thread(board=board)
    thread.is_locked = True
    thread.save(update_fields=["is_locked"])
    assert services.draft_save(user=moderator, thread=thread, body="closing note")


def test_a_silenced_member_may_still_discard_their_draft(member, board):
    services.draft_save(user=member, board=board, body="before")
    assert services.draft_discard(user=silence(member), board=board)


@pytest.mark.parametrize("source", TRICKY)
def test_the_preview_is_exactly_what_posting_stores(source, member, board):
    named = UserFactory()
    body = source.format(name=named.username)
    preview = services.draft_preview(body=body)
    post = services.post_reply(thread=make_thread(board=board), author=member, body=body)
    assert preview == Post.objects.get(pk=post.pk).html
    assert not re.search(r"<script|<img[^>]*onerror|href=\"javascript", preview)


def test_the_preview_of_nothing_is_empty_and_of_too_much_an_error(settings):
    assert services.draft_preview(body="  \n") == ""
    settings.POPCORN = {**settings.POPCORN, "POST_MAX_LENGTH": 5}
    with pytest.raises(ValidationError):
        services.draft_preview(body="x" * 6)


# Pages (no JavaScript) ---------------------------------------------------------------------


def test_save_draft_button_saves_and_the_new_thread_page_restores_it(member_client, board):
    url = reverse("forum:thread_draft", kwargs={"slug": board.slug})
    response = member_client.post(
        url, {"title": "Half a title", "body": "Half a post", "thread_type": "discussion"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("forum:thread_create", kwargs={"slug": board.slug})
    page = member_client.get(response["Location"]).content.decode()
    assert 'value="Half a title"' in page
    assert "Half a post</textarea>" in page
    assert "Draft saved" in page


def test_the_reply_form_on_the_thread_page_is_filled_in_from_the_draft(member_client, member):
    thread = make_thread()
    response = member_client.post(
        reverse("forum:reply_draft", kwargs={"pk": thread.pk}), {"body": "My unsent reply"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#reply-form")
    page = member_client.get(thread.get_absolute_url()).content.decode()
    assert "My unsent reply</textarea>" in page


def test_posting_through_the_page_deletes_the_draft(member_client, member):
    thread = make_thread()
    services.draft_save(user=member, thread=thread, body="draft")
    member_client.post(reverse("forum:reply", kwargs={"pk": thread.pk}), {"body": "Posted."})
    assert not Draft.objects.exists()
    page = member_client.get(thread.get_absolute_url()).content.decode()
    assert "draft</textarea>" not in page


def test_discard_button_deletes_the_draft(member_client, member, board):
    services.draft_save(user=member, board=board, title="t", body="b")
    response = member_client.post(
        reverse("forum:thread_draft_discard", kwargs={"slug": board.slug}),
        {"next": reverse("forum:drafts")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("forum:drafts")
    assert not Draft.objects.exists()


def test_preview_without_javascript_shows_the_form_again_with_the_rendered_post(
    member_client, board
):
    response = member_client.post(
        reverse("forum:thread_preview", kwargs={"slug": board.slug}),
        {"title": "T", "body": "**loud** <script>x</script>"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>loud</strong>" in page and "<script>x" not in page
    assert "**loud** &lt;script&gt;x&lt;/script&gt;</textarea>" in page
    assert not Draft.objects.exists()  # a preview writes nothing


def test_htmx_preview_and_autosave_answer_fragments(member_client, member):
    thread = make_thread()
    htmx = {"HTTP_HX_REQUEST": "true"}
    preview = member_client.post(
        reverse("forum:reply_preview", kwargs={"pk": thread.pk}), {"body": "*hi*"}, **htmx
    )
    assert "<em>hi</em>" in preview.content.decode() and b"<html" not in preview.content
    saved = member_client.post(
        reverse("forum:reply_draft", kwargs={"pk": thread.pk}), {"body": "typing"}, **htmx
    )
    assert saved.status_code == 200 and b"Draft saved" in saved.content
    assert Draft.objects.get(user=member).body == "typing"


def test_a_too_long_draft_without_javascript_keeps_the_text_and_says_why(
    member_client, board, settings
):
    settings.POPCORN = {**settings.POPCORN, "POST_MAX_LENGTH": 5}
    response = member_client.post(
        reverse("forum:thread_draft", kwargs={"slug": board.slug}), {"body": "too long"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "too long</textarea>" in page and "Keep the post to 5" in page


def test_a_silenced_member_gets_a_refusal_not_a_draft(client, member, board):
    client.force_login(silence(member))
    response = client.post(
        reverse("forum:thread_draft", kwargs={"slug": board.slug}), {"body": "x"}
    )
    assert response.status_code == 403
    assert not Draft.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, board):
    response = client.post(
        reverse("forum:thread_draft", kwargs={"slug": board.slug}), {"body": "x"}
    )
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(reverse("forum:drafts")).status_code == 302


def test_a_board_i_cannot_see_takes_no_draft(member_client):
    hidden = BoardFactory(visibility=Board.Visibility.STAFF)
    response = member_client.post(
        reverse("forum:thread_draft", kwargs={"slug": hidden.slug}), {"body": "x"}
    )
    assert response.status_code == 403
    assert not Draft.objects.exists()


@pytest.mark.parametrize("role", ["member", "moderator", "staff"])
def test_nobody_else_reads_my_drafts(role, client, member, board):
    thread = make_thread(board=board)
    services.draft_save(user=member, board=board, title="Secret title", body="secret thread")
    services.draft_save(user=member, thread=thread, body="secret reply")
    other = StaffFactory() if role == "staff" else UserFactory()
    if role == "moderator":
        BoardModerator.objects.create(board=board, user=other)
    client.force_login(other)
    pages = [
        reverse("forum:drafts"),
        reverse("forum:thread_create", kwargs={"slug": board.slug}),
        thread.get_absolute_url(),
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert "secret" not in page and "Secret title" not in page, url


def test_my_drafts_page_lists_mine_newest_first_paged_by_key(
    member_client, member, board, settings, django_assert_num_queries
):
    settings.POPCORN = {**settings.POPCORN, "DRAFTS_PER_PAGE": 2}
    threads = [make_thread(board=board, title=f"Thread {n}") for n in range(3)]
    for n, thread in enumerate(threads):
        services.draft_save(user=member, thread=thread, body=f"reply {n}")
    services.draft_save(user=member, board=board, title="New one", body="thread body")
    url = reverse("forum:drafts")
    # session and user (2), the page of drafts with their board and thread (1), the boards
    # the member moderates (1: the header's menu)
    with django_assert_num_queries(4):
        first = member_client.get(url)
    page = first.content.decode()
    assert page.index("New one") < page.index("Thread 2") and "Thread 1" not in page
    after = first.context["after"]
    with django_assert_num_queries(4):
        second = member_client.get(url, {"after": after})
    assert "Thread 1" in second.content.decode() and "Thread 0" in second.content.decode()
    assert second.context["after"] is None


def test_the_member_menu_links_my_drafts(member_client):
    assert reverse("forum:drafts") in member_client.get(reverse("forum:index")).content.decode()
