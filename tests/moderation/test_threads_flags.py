"""Pin, announce, lock, feature, bug status and helpful: what changes on the pages,
what the log keeps, and what the author is told."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts import services as account_services
from accounts.models import Notification
from moderation.models import AuditLog
from tests.moderation.world import post_action_url, snapshot, thread_action_url

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_pin_puts_the_thread_on_top_and_unpin_takes_it_off(client, world):
    client.force_login(world.mod_a)
    client.post(thread_action_url(world.thread, "pin"), {"reason": "Known issue"})
    titles = [t.title for t in client.get(world.board_a.get_absolute_url()).context["page"]]
    assert titles[0] == world.thread.title
    world.thread.refresh_from_db()
    assert world.thread.is_pinned
    client.post(thread_action_url(world.thread, "unpin"), {})
    world.thread.refresh_from_db()
    assert not world.thread.is_pinned
    pin, unpin = AuditLog.objects.filter(target_id=world.thread.pk).order_by("pk")
    assert (pin.before, pin.after) == ({"is_pinned": False}, {"is_pinned": True})
    assert unpin.before == {"is_pinned": True, "is_announcement": False}


def test_announcement_shows_on_every_board_and_the_front_page_at_once(
    client, world, django_capture_on_commit_callbacks
):
    def announced(url) -> str:
        html = client.get(url).content.decode()
        start = html.find('class="card announcements"')
        return html[start : html.find("</section>", start)] if start >= 0 else ""

    for url in (world.board_b.get_absolute_url(), reverse("forum:index")):
        assert announced(url) == ""  # and now cached
    # Only the cache bumps are under test here, not the notice's email.
    account_services.notification_settings_update(
        user=world.author, settings={"moderation": "in_app"}
    )
    staff_client = client.__class__()
    staff_client.force_login(world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(thread_action_url(world.thread, "announce"), {})

    for url in (world.board_b.get_absolute_url(), reverse("forum:index")):
        assert world.thread.title in announced(url)
    own_board = client.get(world.board_a.get_absolute_url())
    assert world.thread not in own_board.context["page"].object_list  # listed once, above


def test_a_locked_thread_takes_replies_from_its_moderators_only(client, world):
    client.force_login(world.mod_a)
    client.post(thread_action_url(world.thread, "lock"), {"reason": "Resolved"})
    reply_url = reverse("forum:reply", args=[world.thread.pk])
    assert client.post(reply_url, {"body": "Closing note"}).status_code == 302
    client.force_login(world.member)
    assert client.post(reply_url, {"body": "One more"}).status_code == 403
    client.force_login(world.mod_b)
    assert client.post(reply_url, {"body": "One more"}).status_code == 403
    notice = Notification.objects.get(recipient=world.author, kind="moderation")
    assert "was locked" in notice.text and notice.excerpt == "Resolved"


def test_feature_and_unfeature(client, world):
    client.force_login(world.section_mod)
    client.post(thread_action_url(world.thread, "feature"), {})
    world.thread.refresh_from_db()
    assert world.thread.is_featured
    assert "Featured" in client.get(world.thread.get_absolute_url()).content.decode()
    client.post(thread_action_url(world.thread, "unfeature"), {})
    world.thread.refresh_from_db()
    assert not world.thread.is_featured


def test_bug_status_fixed_in_a_version_is_shown_and_logged(client, world):
    client.force_login(world.mod_a)
    client.post(
        thread_action_url(world.thread, "bug-status"),
        {"status": "fixed", "fixed_in_version": "V14.0.4.0.UNCCNXM", "reason": "OTA out"},
    )
    html = client.get(world.thread.get_absolute_url()).content.decode()
    assert "Fixed in V14.0.4.0.UNCCNXM" in html
    log = AuditLog.objects.get(action="thread_bug_status")
    assert log.before == {"bug_status": "", "fixed_in_version": ""}
    assert log.after == {"bug_status": "fixed", "fixed_in_version": "V14.0.4.0.UNCCNXM"}
    notice = Notification.objects.get(recipient=world.author)
    assert "fixed in V14.0.4.0.UNCCNXM" in notice.text and notice.excerpt == "OTA out"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"status": "fixed"}, "Say which version fixed it"),
        ({"status": "fixed", "fixed_in_version": "soon"}, "Enter a firmware version"),
        ({"status": "wontfix"}, "Select a valid choice"),
    ],
)
def test_bad_bug_status_is_refused_and_changes_nothing(client, world, data, error):
    client.force_login(world.mod_a)
    rows = snapshot()
    response = client.post(thread_action_url(world.thread, "bug-status"), data)
    assert error in _messages(response)
    assert snapshot() == rows


def test_only_bug_reports_have_a_status(client, world):
    client.force_login(world.mod_a)
    rows = snapshot()
    response = client.post(thread_action_url(world.other, "bug-status"), {"status": "confirmed"})
    assert "Only bug reports" in _messages(response)
    assert snapshot() == rows


def test_mark_helpful_badges_the_post_and_tells_its_author(client, world):
    client.force_login(world.mod_a)
    client.post(post_action_url(world.reply, "helpful"), {"reason": "The log found it"})
    world.reply.refresh_from_db()
    assert world.reply.is_helpful
    assert 'class="tag helpful"' in client.get(world.thread.get_absolute_url()).content.decode()
    notice = Notification.objects.get(recipient=world.author)
    assert "marked helpful" in notice.text and notice.excerpt == "The log found it"
    client.post(post_action_url(world.reply, "unhelpful"), {})
    world.reply.refresh_from_db()
    assert not world.reply.is_helpful
    assert list(AuditLog.objects.order_by("pk").values_list("action", flat=True)) == [
        "moderator_add",
        "moderator_add",
        "moderator_add",
        "moderator_add",
        "post_helpful",
        "post_unhelpful",
    ]


def test_doing_what_is_already_done_logs_and_tells_nothing(client, world):
    client.force_login(world.mod_a)
    client.post(thread_action_url(world.thread, "lock"), {})
    rows = snapshot()
    client.post(thread_action_url(world.thread, "lock"), {})
    assert snapshot() == rows


def test_a_moderator_acting_on_their_own_post_is_not_notified(client, world):
    client.force_login(world.mod_a)
    client.post(reverse("forum:reply", args=[world.thread.pk]), {"body": "Mod here"})
    own = world.thread.posts.order_by("-floor").first()
    client.post(post_action_url(own, "helpful"), {})
    assert not Notification.objects.filter(recipient=world.mod_a).exists()


def test_moderator_controls_show_to_moderators_only(client, world):
    client.force_login(world.mod_a)
    html = client.get(world.thread.get_absolute_url()).content.decode()
    assert 'id="moderation"' in html and 'id="split-form"' in html
    assert thread_action_url(world.thread, "lock") in html
    assert post_action_url(world.reply, "hide") in html
    for viewer in (world.member, world.author, world.mod_b):
        client.force_login(viewer)
        html = client.get(world.thread.get_absolute_url()).content.decode()
        assert 'id="moderation"' not in html
        # No action on this thread or its posts; mod_b's header still links
        # their own queues and log.
        assert "/mod/t/" not in html and "/mod/p/" not in html and "/mod/b/" not in html
        if viewer != world.mod_b:
            assert "/mod/" not in html


def test_unknown_actions_are_404_and_get_is_refused(client, world):
    client.force_login(world.staff)
    assert client.post(thread_action_url(world.thread, "delete"), {}).status_code == 404
    assert client.post(post_action_url(world.reply, "delete"), {}).status_code == 404
    assert client.get(thread_action_url(world.thread, "lock")).status_code == 405
