"""A hidden thread or post is still shown to its author, marked hidden with the moderator's
reason (the notice they were sent links there); everyone else but moderators gets a 404
or the placeholder, as before."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, User
from forum.models import Post
from moderation import services as moderation_services
from tests.factories import BoardFactory, StaffFactory, UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db

REASON = "Duplicate of #12: please post there"


@pytest.fixture
def setting():
    board = BoardFactory()
    author, moderator, staff = UserFactory(), UserFactory(), StaffFactory()
    moderation_services.moderator_add(user=moderator, board=board, actor=staff)
    thread = make_thread(board=board, author=author, title="Camera crashes on launch")
    return {
        "board": board,
        "author": author,
        "moderator": moderator,
        "staff": staff,
        "thread": thread,
    }


def _suspended() -> User:
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(
        suspended_until=timezone.now() + timedelta(days=1), suspension_reason="Spam"
    )
    return User.objects.get(pk=user.pk)


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_the_author_of_a_hidden_thread_reads_it_with_the_moderators_reason(client, setting):
    thread = setting["thread"]
    moderation_services.thread_hide(thread=thread, actor=setting["moderator"], reason=REASON)
    response = _get(client, setting["author"], thread.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "A moderator hid your thread: only you and the moderators see it." in html
    assert REASON in html and "It drains." in html
    # Read-only: no reply form, no like or report buttons, and not the moderator's name.
    assert 'id="reply-form"' not in html and "This thread has been hidden." in html
    assert "Report" not in html and setting["moderator"].username not in html
    # The notice they were sent leads there.
    notice = Notification.objects.get(recipient=setting["author"])
    assert notice.target_url == thread.get_absolute_url()


@pytest.mark.parametrize("who", ["anonymous", "member", "suspended member"])
def test_everyone_else_still_gets_a_404_for_a_hidden_thread(client, setting, who):
    thread = setting["thread"]
    moderation_services.thread_hide(thread=thread, actor=setting["moderator"], reason=REASON)
    viewer = {"anonymous": None, "member": UserFactory(), "suspended member": _suspended()}[who]
    for url in (thread.get_absolute_url(), reverse("forum:thread_short", args=[thread.pk])):
        assert _get(client, viewer, url).status_code == 404
    floor = reverse("forum:floor", args=[thread.pk, 1])
    assert _get(client, viewer, floor).status_code == 404


@pytest.mark.parametrize("who", ["moderator", "staff"])
def test_moderators_see_who_hid_a_thread_and_why(client, setting, who):
    thread = setting["thread"]
    moderation_services.thread_hide(thread=thread, actor=setting["moderator"], reason=REASON)
    html = _get(client, setting[who], thread.get_absolute_url()).content.decode()
    assert "This thread is hidden: only moderators see it." in html
    assert f"Hidden by {setting['moderator'].username}" in html and REASON in html


def test_the_short_and_floor_addresses_lead_the_author_to_their_hidden_thread(client, setting):
    thread = setting["thread"]
    moderation_services.thread_hide(thread=thread, actor=setting["moderator"], reason=REASON)
    client.force_login(setting["author"])
    for url in (
        reverse("forum:thread_short", args=[thread.pk]),
        reverse("forum:floor", args=[thread.pk, 1]),
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 200 and REASON in response.content.decode()


def test_a_suspended_author_still_reads_why_their_thread_was_hidden(client, setting):
    thread = setting["thread"]
    moderation_services.thread_hide(thread=thread, actor=setting["moderator"], reason=REASON)
    User.objects.filter(pk=setting["author"].pk).update(
        suspended_until=timezone.now() + timedelta(days=1), suspension_reason="Spam"
    )
    response = _get(client, User.objects.get(pk=setting["author"].pk), thread.get_absolute_url())
    assert response.status_code == 200 and REASON in response.content.decode()


def test_the_author_of_a_hidden_reply_sees_it_marked_with_the_reason(client, setting):
    thread = setting["thread"]
    replier = UserFactory()
    reply = make_reply(thread=thread, author=replier, body="Buy cheap phones at spam.example")
    moderation_services.post_hide(post=reply, actor=setting["moderator"], reason=REASON)

    response = _get(client, replier, reply.get_absolute_url())
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "A moderator hid your post: only you and the moderators see it." in html
    assert REASON in html and "Buy cheap phones" in html

    for viewer in (None, UserFactory(), setting["author"]):
        html = _get(client, viewer, thread.get_absolute_url()).content.decode()
        assert "This post has been hidden by a moderator." in html
        assert "Buy cheap phones" not in html and REASON not in html

    html = _get(client, setting["moderator"], thread.get_absolute_url()).content.decode()
    assert "Hidden by" in html and REASON in html and "Buy cheap phones" in html


def test_the_author_of_a_rejected_reply_reads_it_and_why_on_its_own_page(client, setting, settings):
    settings.POPCORN = {**settings.POPCORN, "APPROVAL_BELOW_LEVEL": "member"}
    newcomer = UserFactory()
    held = make_reply(thread=setting["thread"], author=newcomer, body="My first reply here")
    assert held.is_pending and held.floor is None
    post = Post.objects.select_related("thread__board", "author").get(pk=held.pk)
    moderation_services.pending_reject(post=post, actor=setting["moderator"], reason=REASON)

    response = _get(client, newcomer, held.get_permalink())
    assert response.status_code == 200
    html = response.content.decode()
    assert "A moderator hid your post" in html and REASON in html
    assert "My first reply here" in html and setting["thread"].title in html
    assert _get(client, UserFactory(), held.get_permalink()).status_code == 404
    assert _get(client, None, held.get_permalink()).status_code == 404


def test_the_authors_hidden_thread_page_costs_what_a_visible_one_does(
    client, setting, django_assert_num_queries
):
    from tests.forum.test_query_counts import THREAD_PAGE_MEMBER

    thread = setting["thread"]
    moderation_services.thread_hide(thread=thread, actor=setting["moderator"], reason=REASON)
    client.force_login(setting["author"])
    client.get(thread.get_absolute_url())  # the session's first request settles its rows
    # Two fewer: a hidden thread takes no reply, so there is no reply draft to read, and
    # the page was read already, so the read position is not written again.
    with django_assert_num_queries(THREAD_PAGE_MEMBER - 2):
        assert client.get(thread.get_absolute_url()).status_code == 200
