"""The bell, the notifications page, preferences, and emails with a working unsubscribe link."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Delivery, Notification, NotificationKind, User
from accounts.services import unsubscribe_token
from forum import services as forum_services
from forum.models import Post
from tests.factories import UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def _notify(recipient, *, kind=NotificationKind.REPLY, title="A thread", actor=None):
    return services.notification_create(
        recipient=recipient,
        kind=kind,
        target_url="/t/1/2",
        title_key="forum.reply",
        title_params={"title": title},
        actor=actor or UserFactory(),
    )


def _bulk_notifications(recipient, count: int) -> None:
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            recipient=recipient,
            kind=NotificationKind.REPLY,
            actor_name=f"poster{i}",
            target_url=f"/t/1/{i + 2}",
            target_title=f"Thread {i}",
            title_key="forum.reply",
            title_params={"title": f"Thread {i}"},
            is_read=i % 2 == 0,
            created_at=now - timedelta(minutes=i),
            updated_at=now - timedelta(minutes=i),
        )
        for i in range(count)
    )


def _unread(user) -> int:
    return User.objects.values_list("unread_notifications", flat=True).get(pk=user.pk)


# The bell and the page ----------------------------------------------------------


def test_the_bell_shows_the_unread_count_without_a_query(
    member_client, member, django_assert_num_queries
):
    make_thread()
    _notify(member)
    _notify(member)
    # The front page signed in: session and user (2) + the header's moderation reach (1)
    # + sections, boards, latest threads, site-wide announcements (4). The bell's count
    # is on the user row.
    with django_assert_num_queries(7):
        html = member_client.get(reverse("forum:index")).content.decode()
    assert '<span class="badge">2</span>' in html
    assert reverse("accounts:notifications") in html


def test_notifications_page_lists_newest_first_with_unread_highlighted(member_client, member):
    old = _notify(member, title="Old news")
    Notification.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - timedelta(days=1), is_read=True
    )
    _notify(member, title="Fresh news")
    _notify(UserFactory(), title="Someone else's")

    response = member_client.get(reverse("accounts:notifications"))
    titles = [n.target_title for n in response.context["page"]]
    assert titles == ["Fresh news", "Old news"]
    html = response.content.decode()
    assert html.index('class="unread"') < html.index("Fresh news") < html.index('class="read"')
    assert "Someone else" not in html


# session, user (2) + the header's moderation reach (1) + COUNT (1) + one page of
# notifications, no joins (1)
NOTIFICATIONS_PAGE = 5


@pytest.mark.parametrize("count", [5, 50])
def test_notifications_page_queries_do_not_grow(
    member_client, member, django_assert_num_queries, count
):
    _bulk_notifications(member, count)
    with django_assert_num_queries(NOTIFICATIONS_PAGE):
        response = member_client.get(reverse("accounts:notifications"))
    assert len(response.context["page"].object_list) == min(count, 30)
    with django_assert_num_queries(NOTIFICATIONS_PAGE):
        member_client.get(reverse("accounts:notifications") + "?page=2")


def test_opening_a_notification_marks_it_read_and_goes_to_its_target(member_client, member):
    notification = _notify(member)
    _notify(member)
    assert _unread(member) == 2
    response = member_client.get(reverse("accounts:notification_open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == "/t/1/2"
    assert Notification.objects.get(pk=notification.pk).is_read
    assert _unread(member) == 1
    member_client.get(reverse("accounts:notification_open", args=[notification.pk]))
    assert _unread(member) == 1  # opening again changes nothing


def test_nobody_opens_someone_elses_notification(member_client):
    notification = _notify(UserFactory())
    response = member_client.get(reverse("accounts:notification_open", args=[notification.pk]))
    assert response.status_code == 404
    assert not Notification.objects.get(pk=notification.pk).is_read


def test_an_off_site_target_is_not_followed(member_client, member):
    notification = _notify(member)
    Notification.objects.filter(pk=notification.pk).update(target_url="https://evil.example/")
    response = member_client.get(reverse("accounts:notification_open", args=[notification.pk]))
    assert response["Location"] == reverse("accounts:notifications")


def test_mark_all_read(member_client, member):
    for _ in range(3):
        _notify(member)
    other = UserFactory()
    _notify(other)
    assert member_client.get(reverse("accounts:notifications_read_all")).status_code == 405
    response = member_client.post(reverse("accounts:notifications_read_all"))
    assert response.status_code == 302
    assert _unread(member) == 0
    assert not Notification.objects.filter(recipient=member, is_read=False).exists()
    assert _unread(other) == 1


def test_notification_pages_need_sign_in(client):
    for name in ("accounts:notifications", "accounts:notification_settings"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# Preferences ---------------------------------------------------------------------


def test_settings_page_saves_each_kind_and_auto_watch(member_client, member):
    response = member_client.get(reverse("accounts:notification_settings"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["mention"].initial == Delivery.EMAIL and form["like"].initial == Delivery.IN_APP

    data = dict.fromkeys(NotificationKind.values, Delivery.IN_APP)
    data.update({"like": Delivery.OFF, "quote": Delivery.EMAIL})  # auto_watch unticked
    response = member_client.post(reverse("accounts:notification_settings"), data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.notification_settings["like"] == Delivery.OFF
    assert member.notification_settings["quote"] == Delivery.EMAIL
    assert member.notification_settings["mention"] == Delivery.IN_APP
    assert member.auto_watch is False


def test_settings_page_refuses_an_unknown_delivery(member_client, member):
    data = dict.fromkeys(NotificationKind.values, Delivery.IN_APP)
    data["like"] = "carrier-pigeon"
    response = member_client.post(reverse("accounts:notification_settings"), data)
    assert response.status_code == 200 and response.context["form"].errors["like"]
    member.refresh_from_db()
    assert member.notification_settings == {}


def test_a_kind_turned_off_makes_no_row_whichever_way_it_is_sent(member):
    services.notification_settings_update(
        user=member, settings={"reply": Delivery.OFF, "like": Delivery.OFF}
    )
    actor = UserFactory()
    assert _notify(member, actor=actor) is None
    assert (
        services.notification_fan_out(
            recipients=[member.pk],
            kind=NotificationKind.REPLY,
            target_url="/t/1/2",
            title_key="forum.reply",
            title_params={"title": "x"},
            actor=actor,
        )
        == 0
    )
    post = make_thread(author=member).posts.select_related("thread__board", "author").get()
    forum_services.post_like(post=post, user=actor)
    assert not Notification.objects.filter(recipient=member).exists()
    assert _unread(member) == 0


def test_fan_out_reaches_members_left_at_the_default(member):
    chose_in_app = UserFactory(notification_settings={"reply": Delivery.IN_APP})
    chose_off = UserFactory(notification_settings={"reply": Delivery.OFF})
    notified = services.notification_fan_out(
        recipients=[member.pk, chose_in_app.pk, chose_off.pk],
        kind=NotificationKind.REPLY,
        target_url="/t/1/2",
        title_key="forum.reply",
        title_params={"title": "x"},
    )
    assert notified == 2
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
        member.pk,
        chose_in_app.pk,
    }
    assert (_unread(member), _unread(chose_in_app), _unread(chose_off)) == (1, 1, 0)


# Email and unsubscribe -------------------------------------------------------------


def _link(body: str) -> str:
    return re.search(r"http://popcorn\.test(/notifications/unsubscribe/[^/\s]+/)", body).group(1)


def test_email_delivery_sends_a_mail_whose_link_unsubscribes_without_login(
    client, django_capture_on_commit_callbacks
):
    fan = UserFactory(username="mira", notification_settings={"quote": Delivery.EMAIL})
    thread = make_thread(title="Camera crash")
    quoted = make_reply(thread=thread, author=fan, body="It crashes on launch")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        make_reply(
            thread=thread,
            body=f"> **@mira** [wrote on #2](/t/{thread.pk}/{quoted.floor}):\n> It crashes\n\nSame",
        )

    [email] = mail.outbox
    assert email.to == [fan.email]
    assert "quoted you" in email.subject and "Camera crash" in email.subject
    # Links start with settings.SITE_URL (http://popcorn.test in the test settings).
    assert f"http://popcorn.test/t/{thread.pk}/3" in email.body
    path = _link(email.body)
    assert email.extra_headers["List-Unsubscribe"] == f"<http://popcorn.test{path}>"

    page = client.get(path)  # nobody is signed in
    assert page.status_code == 200
    assert "Quotes of my posts" in page.content.decode()
    fan.refresh_from_db()
    assert fan.notification_settings["quote"] == Delivery.EMAIL  # GET changes nothing

    done = client.post(path)
    assert done.status_code == 200
    fan.refresh_from_db()
    assert fan.notification_settings["quote"] == Delivery.IN_APP


def test_one_click_unsubscribe_needs_no_csrf_cookie(member):
    token = unsubscribe_token(user_id=member.pk, kind=NotificationKind.MENTION)
    mailbox_provider = Client(enforce_csrf_checks=True)
    response = mailbox_provider.post(
        reverse("accounts:unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.notification_settings["mention"] == Delivery.IN_APP


def test_in_app_delivery_sends_no_mail(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(member, kind=NotificationKind.REPLY)
    assert mail.outbox == []


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "eyJ1IjoxLCJrIjoibWVudGlvbiJ9:1tAMPER:ed",
        ".eJyrVipVslIyUtJRyk4tUrIqKUpN1VEqLUpNzi9KAQBwSQhG:forged:signature",
    ],
)
def test_a_forged_or_garbled_token_is_a_clear_400(client, member, token):
    for method in (client.get, client.post):
        response = method(reverse("accounts:unsubscribe", args=[token]))
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    member.refresh_from_db()
    assert member.notification_settings == {}


def test_a_token_signed_for_something_else_is_a_400(client, member):
    from django.core import signing

    other_salt = signing.dumps({"u": member.pk, "k": "mention"}, salt="somewhere.else")
    unknown_kind = unsubscribe_token(user_id=member.pk, kind="carrier_pigeon")
    gone = unsubscribe_token(user_id=999_999, kind="mention")
    for token in (other_salt, unknown_kind, gone):
        assert client.get(reverse("accounts:unsubscribe", args=[token])).status_code == 400


def test_mention_email_goes_out_by_default(django_capture_on_commit_callbacks):
    fan = UserFactory(username="mira")
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread=make_thread(), body="@mira have a look")
    [email] = mail.outbox
    assert email.to == [fan.email] and "mentioned you" in email.subject
    assert Post.objects.filter(source="@mira have a look").exists()
