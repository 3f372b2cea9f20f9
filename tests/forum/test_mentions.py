"""@mentions link and notify once; quoting pre-fills the reply form and notifies the quoted."""

import pytest
from django.urls import reverse

from accounts.models import Notification, NotificationKind, User
from forum import services
from forum.models import Board, Post
from forum.rendering import render_markdown
from tests.factories import BoardFactory, StaffFactory, UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def _notifications(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


# Mentions ---------------------------------------------------------------------


def test_a_mention_links_to_the_profile_and_notifies_once(board):
    fan = UserFactory(username="mira12")
    author = UserFactory()
    thread = make_thread(board=board)
    post = make_reply(thread=thread, author=author, body="Thanks @mira12! And again @mira12.")

    assert post.html.count('<a href="/u/mira12/" class="mention"') == 2
    [notification] = _notifications(fan, NotificationKind.MENTION)
    assert notification.actor == author
    assert notification.target_url == f"/t/{thread.pk}/2"
    assert notification.target_title == thread.title
    assert notification.excerpt == "Thanks @mira12! And again @mira12."
    assert User.objects.get(pk=fan.pk).unread_notifications == 1


def test_unknown_names_stay_plain_text_and_notify_nobody(board):
    fan = UserFactory(username="mira12")
    thread = make_thread(board=board)
    post = make_reply(thread=thread, body="Ask @nobody_here or mail mira12@example.com")
    assert "<a" not in post.html
    assert "@nobody_here" in post.html
    assert not Notification.objects.filter(kind=NotificationKind.MENTION).exists()
    assert not _notifications(fan, NotificationKind.MENTION)


def test_a_second_post_mentioning_someone_else_does_not_notify_again(board):
    fan = UserFactory(username="mira12")
    thread = make_thread(board=board)
    make_reply(thread=thread, body="@mira12 look")
    make_reply(thread=thread, body="@ghost_user look", author=UserFactory())
    assert len(_notifications(fan, NotificationKind.MENTION)) == 1
    assert Notification.objects.filter(kind=NotificationKind.MENTION).count() == 1


def test_mentions_in_code_are_neither_linked_nor_notified(board):
    fan = UserFactory(username="mira12")
    body = "Run `echo @mira12` then:\n\n```\n@mira12 in a block\n```\n\n    @mira12 indented"
    post = make_reply(thread=make_thread(board=board), body=body)
    assert "/u/mira12/" not in post.html
    assert "<code>echo @mira12</code>" in post.html
    assert not _notifications(fan, NotificationKind.MENTION)


def test_mentioning_yourself_does_nothing(board):
    author = UserFactory(username="selfie")
    post = make_reply(thread=make_thread(board=board), author=author, body="me: @selfie")
    assert "/u/selfie/" in post.html
    assert not Notification.objects.filter(recipient=author).exists()
    assert not Notification.objects.filter(kind=NotificationKind.MENTION).exists()


def test_mentions_notify_at_most_the_configured_number(board, settings):
    settings.POPCORN = {**settings.POPCORN, "MAX_MENTIONS_NOTIFIED": 3}
    fans = [UserFactory(username=f"crowd{i}") for i in range(5)]
    make_reply(thread=make_thread(board=board), body=" ".join(f"@{f.username}" for f in fans))
    notified = set(
        Notification.objects.filter(kind=NotificationKind.MENTION).values_list(
            "recipient__username", flat=True
        )
    )
    assert notified == {"crowd0", "crowd1", "crowd2"}


def test_a_member_mentioned_in_a_staff_board_is_not_told(staff):
    fan = UserFactory(username="mira12")
    other_staff = StaffFactory(username="boss")
    board = BoardFactory(visibility=Board.Visibility.STAFF)
    make_thread(board=board, author=staff, body="@mira12 broke it, cc @boss")
    assert not _notifications(fan, NotificationKind.MENTION)  # the title must not leak
    assert len(_notifications(other_staff, NotificationKind.MENTION)) == 1


def test_mentions_are_looked_up_with_one_query(board, django_assert_num_queries):
    for name in ("ann", "bob", "cyd"):
        UserFactory(username=name)
    from forum.services.mentions import render_source

    with django_assert_num_queries(1):
        html = render_source("@ann @bob @cyd @dan")
    assert html.count('class="mention"') == 3
    with django_assert_num_queries(0):
        render_source("no names here")


def test_mention_links_survive_sanitizing_and_markdown_links_stay_apart():
    html = render_markdown(
        "[@mira12](https://example.com) @mira12, <b>@mira12</b>",
        known_usernames=frozenset({"mira12"}),
    )
    assert html.count('href="/u/mira12/"') == 2  # the markdown link's text is left alone
    assert "&lt;b&gt;" in html  # raw HTML still arrives as text


def test_editing_is_not_creation_so_rerendering_does_not_notify(board):
    fan = UserFactory(username="mira12")
    post = make_reply(thread=make_thread(board=board), body="hi @mira12")
    services.post_rerender(post=post)
    assert len(_notifications(fan, NotificationKind.MENTION)) == 1
    assert "/u/mira12/" in Post.objects.get(pk=post.pk).html


# Quotes -----------------------------------------------------------------------


def test_quote_prefills_the_reply_form_with_a_linked_quote(member_client, board):
    quoted_author = UserFactory(username="mira12")
    thread = make_thread(board=board)
    for _ in range(5):
        make_reply(thread=thread)
    post = make_reply(thread=thread, author=quoted_author, body="line1\nline2")
    assert post.floor == 7

    response = member_client.get(reverse("forum:quote", args=[thread.pk, post.pk]))
    assert response.status_code == 200
    body = response.context["reply_form"].initial["body"]
    assert body == f"> **@mira12** [wrote on #7](/t/{thread.pk}/7):\n> line1\n> line2\n\n"
    html = response.content.decode()
    assert f"[wrote on #7](/t/{thread.pk}/7)" in html
    assert "hx-disable" in html  # a page of its own posts as a plain form

    rendered = render_markdown(body, known_usernames=frozenset({"mira12"}))
    assert "<blockquote>" in rendered
    assert '<a href="/u/mira12/" class="mention"' in rendered
    assert f'<a href="/t/{thread.pk}/7"' in rendered and "wrote on #7" in rendered


def test_htmx_quote_is_added_to_the_draft_already_typed(member_client, board):
    thread = make_thread(board=board, body="the opening post")
    post = thread.posts.get()
    response = member_client.post(
        reverse("forum:quote", args=[thread.pk, post.pk]),
        {"body": "My draft so far"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.context["reply_form"].initial["body"]
    assert body.startswith("My draft so far\n\n> **@")
    assert body.endswith("> the opening post\n\n")
    assert 'id="reply-form"' in response.content.decode()
    assert "<html" not in response.content.decode()


def test_quoting_does_not_nest_earlier_quotes(member_client, board):
    thread = make_thread(board=board, body="original words")
    reply = make_reply(
        thread=thread,
        body=f"> **@x** [wrote on #1](/t/{thread.pk}/1):\n> original words\n\nMy answer",
    )
    response = member_client.get(reverse("forum:quote", args=[thread.pk, reply.pk]))
    body = response.context["reply_form"].initial["body"]
    assert "original words" not in body
    assert body.endswith("> My answer\n\n")


def test_quote_of_a_post_in_a_staff_board_is_refused_for_members(member_client, staff):
    board = BoardFactory(visibility=Board.Visibility.STAFF)
    thread = make_thread(board=board, author=staff)
    post = thread.posts.get()
    response = member_client.get(reverse("forum:quote", args=[thread.pk, post.pk]))
    assert response.status_code in (403, 404)


def test_quote_of_a_hidden_missing_or_foreign_post_is_404(member_client, board):
    thread = make_thread(board=board)
    hidden = make_reply(thread=thread)
    Post.objects.filter(pk=hidden.pk).update(is_hidden=True)
    elsewhere = make_thread(board=board).posts.get()
    for post_id in (hidden.pk, 999_999, elsewhere.pk):
        response = member_client.get(reverse("forum:quote", args=[thread.pk, post_id]))
        assert response.status_code == 404
    assert member_client.get(reverse("forum:quote", args=[999_999, hidden.pk])).status_code == 404


def test_quote_in_a_locked_thread_explains_why_not(member_client, board):
    from forum.models import Thread

    thread = make_thread(board=board)
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    response = member_client.get(reverse("forum:quote", args=[thread.pk, thread.posts.get().pk]))
    assert response.status_code == 403
    assert "This thread is locked." in response.content.decode()


def test_thread_page_offers_quote_links_to_those_who_may_reply(client, member_client, board):
    thread = make_thread(board=board)
    post = thread.posts.get()
    quote_url = reverse("forum:quote", args=[thread.pk, post.pk])
    assert quote_url in member_client.get(thread.get_absolute_url()).content.decode()
    client.logout()
    assert quote_url not in client.get(thread.get_absolute_url()).content.decode()


def test_a_quoted_author_is_told_once_and_the_replier_never(board):
    quoted = UserFactory(username="mira12")
    replier = UserFactory()
    thread = make_thread(board=board)
    first = make_reply(thread=thread, author=quoted, body="first point")
    second = make_reply(thread=thread, author=quoted, body="second point")
    own = make_reply(thread=thread, author=replier, body="my own point")
    body = (
        f"> **@mira12** [wrote on #{first.floor}](/t/{thread.pk}/{first.floor}):\n> first point\n\n"
        f"> **@mira12** [wrote on #{second.floor}](/t/{thread.pk}/{second.floor}):\n"
        "> second point\n\n"
        f"> **@{replier.username}** [wrote on #{own.floor}](/t/{thread.pk}/{own.floor}):\n"
        "> my own point\n\n"
        "Agreed, @mira12."
    )
    reply = make_reply(thread=thread, author=replier, body=body)

    # (the watchers' reply notices, which the replies' follow-ups also send, aside)
    [notification] = Notification.objects.filter(recipient=quoted).exclude(
        kind=NotificationKind.REPLY
    )
    assert notification.kind == NotificationKind.QUOTE  # quoted and mentioned: told once
    assert notification.target_url == reply.get_absolute_url()
    assert notification.excerpt == "Agreed, @mira12."
    assert (
        not Notification.objects.filter(recipient=replier)
        .exclude(kind=NotificationKind.REPLY)
        .exists()
    )


def test_a_floor_link_outside_a_quote_or_to_an_unreadable_post_is_no_quote(board, staff):
    quoted = UserFactory()
    thread = make_thread(board=board)
    post = make_reply(thread=thread, author=quoted)
    secret = make_thread(board=BoardFactory(visibility=Board.Visibility.STAFF), author=staff)
    make_reply(
        thread=thread,
        body=f"See [#2](/t/{thread.pk}/{post.floor})\n\n> [x](/t/{secret.pk}/1)\n> secret",
    )
    assert not Notification.objects.filter(kind=NotificationKind.QUOTE).exists()


def test_quote_detection_reads_the_posts_in_one_query(board, django_assert_num_queries):
    from forum.services import mentions

    thread = make_thread(board=board)
    posts = [make_reply(thread=thread) for _ in range(4)]
    body = "\n\n".join(f"> [#{p.floor}](/t/{thread.pk}/{p.floor}): x" for p in posts)
    reply = make_reply(thread=thread, body="placeholder")
    reply.source = body
    with django_assert_num_queries(1):
        authors = mentions._quoted_authors(post=reply, author=reply.author, limit=20)
    assert {a.pk for a in authors} == {p.author_id for p in posts}
