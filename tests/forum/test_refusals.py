"""A refused action says why: htmx gets the reason in the page's message area (a 403 that
names its target, which base.html swaps in), a plain form goes back with it as a message,
and any other PermissionDenied shows its reason on the 403 page."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from forum.models import BoardWatch, PostLike, ThreadWatch
from moderation.models import Report
from tests.factories import UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _suspend(user) -> User:
    User.objects.filter(pk=user.pk).update(
        suspended_until=timezone.now() + timedelta(days=2), suspension_reason="Spamming links"
    )
    return User.objects.get(pk=user.pk)


@pytest.fixture
def suspended_client(client, member):
    client.force_login(_suspend(member))
    return client


def _said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _assert_toast(response, text):
    assert response.status_code == 403
    assert response["HX-Retarget"] == "#toasts" and response["HX-Reswap"] == "innerHTML"
    html = response.content.decode()
    assert 'class="toast message error" role="alert"' in html and text in html
    assert "<html" not in html  # a fragment for the message area


def test_every_page_has_the_message_area_and_swaps_refusals_into_it(client, member):
    client.force_login(member)
    html = client.get(make_thread().get_absolute_url()).content.decode()
    assert '<div id="toasts" class="toasts" aria-live="polite"></div>' in html
    # The handler is a static file (the Content-Security-Policy runs no inline script).
    assert "/static/js/menu.js" in html
    script = Path(finders.find("js/menu.js")).read_text()
    assert 'addEventListener("htmx:beforeSwap"' in script
    assert 'getResponseHeader("HX-Retarget")' in script


def test_a_suspended_members_like_says_why_in_place(suspended_client):
    post = make_thread().posts.get()
    response = suspended_client.post(reverse("forum:post_like", args=[post.pk]), headers=HTMX)
    _assert_toast(response, "Your account is suspended until")
    assert "Spamming links" in response.content.decode()
    assert not PostLike.objects.exists()


def test_a_suspended_members_like_without_js_goes_back_to_the_floor_saying_why(suspended_client):
    thread = make_thread()
    reply = make_reply(thread=thread)
    response = suspended_client.post(reverse("forum:post_like", args=[reply.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{thread.get_absolute_url()}?page=1#floor-2"
    assert "Your account is suspended" in _said(response)[0]
    assert not PostLike.objects.exists()


def test_a_suspended_members_watch_says_why(suspended_client, member):
    thread = make_thread()
    url = reverse("forum:thread_watch", args=[thread.pk])
    _assert_toast(suspended_client.post(url, headers=HTMX), "Your account is suspended")
    response = suspended_client.post(url, {"next": "/somewhere/?page=2"})
    assert response.status_code == 302 and response["Location"] == "/somewhere/?page=2"
    assert "Your account is suspended" in _said(response)[0]
    board_watch = reverse("forum:board_watch", args=[thread.board.slug])
    _assert_toast(suspended_client.post(board_watch, headers=HTMX), "Your account is suspended")
    assert not ThreadWatch.objects.filter(user=member).exists()
    assert not BoardWatch.objects.exists()


def test_a_suspended_member_may_still_stop_watching(client, member):
    thread = make_thread()
    ThreadWatch.objects.create(user=member, thread=thread)
    client.force_login(_suspend(member))
    response = client.post(reverse("forum:thread_unwatch", args=[thread.pk]), headers=HTMX)
    assert response.status_code == 200 and not ThreadWatch.objects.filter(user=member).exists()


def test_watching_still_works_for_members(client, member):
    thread = make_thread()
    client.force_login(member)
    response = client.post(reverse("forum:thread_watch", args=[thread.pk]), headers=HTMX)
    assert response.status_code == 200 and ThreadWatch.objects.filter(user=member).exists()


def test_a_report_by_htmx_thanks_in_place_or_says_why(client, member):
    post = make_reply(thread=make_thread())
    url = reverse("reports:report", args=[post.pk])
    client.force_login(member)
    response = client.post(url, {"reason": "other", "text": ""}, headers=HTMX)
    assert response.status_code == 400 and response["HX-Retarget"] == "#toasts"
    assert not Report.objects.exists()
    response = client.post(url, {"reason": "spam"}, headers=HTMX)
    assert response.status_code == 200
    assert "Thanks: the moderators will look at it." in response.content.decode()
    assert Report.objects.filter(post=post, reporter=member).exists()

    own = make_reply(thread=post.thread, author=member)
    response = client.post(
        reverse("reports:report", args=[own.pk]), {"reason": "spam"}, headers=HTMX
    )
    _assert_toast(response, "You cannot report your own post.")


def test_any_permission_denied_names_its_reason_on_the_403_page_or_in_place(client, member):
    post = make_reply(thread=make_thread())
    helpful = reverse("moderation:post_action", args=[post.pk, "helpful"])
    client.force_login(member)
    page = client.post(helpful, {"reason": ""})
    assert page.status_code == 403
    assert "Not allowed" in page.content.decode()
    assert "You do not moderate this board." in page.content.decode()
    _assert_toast(client.post(helpful, {"reason": ""}, headers=HTMX), "You do not moderate")


def test_a_suspended_moderator_is_told_the_suspension_is_why_their_tools_stopped(client):
    thread = make_thread()
    moderator = UserFactory()
    thread.board.moderator_links.create(user=moderator)
    client.force_login(_suspend(moderator))
    response = client.post(
        reverse("moderation:post_action", args=[thread.posts.get().pk, "helpful"]), {"reason": ""}
    )
    assert response.status_code == 403
    assert "Your account is suspended" in response.content.decode()


def test_a_permission_denied_without_a_message_still_says_something(client, member):
    client.force_login(member)
    response = client.get(reverse("moderation:console"))
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
