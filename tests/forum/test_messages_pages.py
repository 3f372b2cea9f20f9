"""Private message pages: who may open what, the header's count, the pinned query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import User
from forum import services
from forum.models import Conversation, Message
from moderation.models import AuditLog, MessageReport
from tests.factories import StaffFactory

from .messages_world import settled, start

pytestmark = pytest.mark.django_db

# The member's list: session and user (2), one page of participant rows with their
# conversation (1), the header's moderation reach (1, every signed-in page).
LIST_QUERIES = 4
# A conversation: session and user (2), my participant row with the conversation (1),
# one page of messages (1), the read marker's UPDATE and the counter's (2) inside a
# savepoint pair (2), the participants (1), the header's moderation reach (1).
DETAIL_QUERIES = 10


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "name, args",
    [("forum:conversations", []), ("forum:conversation_new", []), ("forum:bookmarks", [])],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_anonymous_visitors_cannot_open_a_conversation(client):
    conversation = start(settled(), settled())
    response = client.get(conversation.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_starting_a_conversation_from_the_page(client):
    alice, bob = settled(), settled()
    login(client, alice)
    response = client.post(
        reverse("forum:conversation_new"),
        {"recipients": f"@{bob.username}，", "subject": "Hello", "body": "Hi *there*"},
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302 and response["Location"] == conversation.get_absolute_url()
    assert User.objects.get(pk=bob.pk).unread_conversations == 1


def test_a_bad_recipient_is_a_field_error_and_writes_nothing(client):
    login(client, settled())
    response = client.post(
        reverse("forum:conversation_new"),
        {"recipients": "ghost", "subject": "Hello", "body": "Hi"},
    )
    assert response.status_code == 200
    assert "No such member: ghost" in response.content.decode()
    assert not Conversation.objects.exists()


def test_the_header_shows_my_unread_conversations_and_reading_clears_it(client):
    alice, bob = settled(), settled()
    conversation = start(alice, bob)
    login(client, bob)
    page = client.get(reverse("forum:index")).content.decode()
    assert 'href="/messages/"' in page and '<span class="badge">1</span>' in page
    response = client.get(conversation.get_absolute_url())
    assert response.status_code == 200 and "Did it work for you?" in response.content.decode()
    assert User.objects.get(pk=bob.pk).unread_conversations == 0


def test_a_non_participant_and_a_moderator_get_a_404(client):
    conversation = start(settled(), settled())
    for outsider in (settled(), settled(is_global_moderator=True), StaffFactory()):
        login(client, outsider)
        assert client.get(conversation.get_absolute_url()).status_code == 404
        reply = client.post(reverse("forum:message_send", args=[conversation.pk]), {"body": "x"})
        assert reply.status_code == 404
    assert Message.objects.count() == 1


def test_a_silenced_member_reads_but_cannot_reply_or_start(client):
    alice, bob = settled(), settled()
    conversation = start(alice, bob)
    User.objects.filter(pk=bob.pk).update(
        silenced_until=timezone.now() + timedelta(days=1), silence_reason="flame"
    )
    login(client, bob)
    page = client.get(conversation.get_absolute_url())
    assert page.status_code == 200 and "silenced" in page.content.decode()
    assert client.get(reverse("forum:conversation_new")).status_code == 403
    response = client.post(reverse("forum:message_send", args=[conversation.pk]), {"body": "x"})
    assert response.status_code == 302
    assert Message.objects.count() == 1


def test_replying_and_leaving_through_the_pages(client):
    alice, bob = settled(), settled()
    conversation = start(alice, bob)
    login(client, bob)
    response = client.post(
        reverse("forum:message_send", args=[conversation.pk]), {"body": "It worked."}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=alice.pk).unread_conversations == 1
    empty = client.post(reverse("forum:message_send", args=[conversation.pk]), {"body": " "})
    assert empty.status_code == 400
    client.post(reverse("forum:conversation_leave", args=[conversation.pk]))
    assert client.get(conversation.get_absolute_url()).status_code == 404
    assert "Flashing" not in client.get(reverse("forum:conversations")).content.decode()


def test_reporting_a_message_sends_it_to_the_queue(client):
    alice, bob = settled(), settled()
    conversation = start(alice, bob, body="buy cheap unlock codes")
    message = Message.objects.get(conversation=conversation)
    login(client, bob)
    url = reverse("reports:message_report", args=[message.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "spam", "text": ""})
    assert response.status_code == 302
    assert MessageReport.objects.filter(message=message, reporter=bob).exists()
    again = client.post(url, {"reason": "spam", "text": ""})
    assert again.status_code == 400
    # The author cannot report their own; an outsider cannot reach it at all.
    login(client, alice)
    assert client.get(url).status_code == 403
    login(client, settled())
    assert client.get(url).status_code == 404


def test_a_global_moderator_reads_the_reported_message_only_and_it_is_audited(client):
    alice, bob = settled(), settled()
    conversation = start(alice, bob, body="the reported one")
    services.message_send(conversation=conversation, author=alice, body="a private other one")
    reported = Message.objects.get(conversation=conversation, source="the reported one")
    from moderation import services as moderation_services

    report = moderation_services.message_report_create(
        message=reported, reporter=bob, reason="abuse"
    )
    moderator = settled(is_global_moderator=True)
    login(client, moderator)
    queue = client.get(reverse("moderation:message_reports")).content.decode()
    assert "the reported one" not in queue  # the queue shows no message text
    page = client.get(reverse("moderation:message_report", args=[report.pk])).content.decode()
    assert "the reported one" in page and "a private other one" not in page
    row = AuditLog.objects.get(action=AuditLog.Action.MESSAGE_READ)
    assert (row.actor, row.target_id, row.subject_id) == (moderator, reported.pk, alice.pk)
    assert client.get(conversation.get_absolute_url()).status_code == 404
    closed = client.post(
        reverse("moderation:message_report", args=[report.pk]),
        {"outcome": "uphold", "reason": "abuse confirmed"},
    )
    assert closed.status_code == 302
    assert MessageReport.objects.get(pk=report.pk).status == "upheld"
    assert AuditLog.objects.filter(action=AuditLog.Action.MESSAGE_REPORT_CLOSE).exists()


@pytest.mark.parametrize("role", ["member", "board_moderator"])
def test_members_and_board_moderators_cannot_read_reported_messages(client, role, board):
    alice, bob = settled(), settled()
    message = Message.objects.get(conversation=start(alice, bob))
    from moderation import services as moderation_services

    report = moderation_services.message_report_create(message=message, reporter=bob, reason="spam")
    user = settled()
    if role == "board_moderator":
        from forum.models import BoardModerator

        BoardModerator.objects.create(board=board, user=user)
    login(client, user)
    assert client.get(reverse("moderation:message_reports")).status_code == 403
    assert client.get(reverse("moderation:message_report", args=[report.pk])).status_code == 403
    assert not AuditLog.objects.filter(action=AuditLog.Action.MESSAGE_READ).exists()


def test_staff_send_a_moderator_warning_as_a_message_through_a_block(client):
    admin, fan = StaffFactory(), settled()
    account_services.block_add(blocker=fan, blocked=admin)
    login(client, admin)
    response = client.post(
        reverse("moderation:warning_message", args=[fan.username]),
        {"subject": "About your posts", "body": "Please stop the spam."},
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302 and conversation.is_warning
    assert User.objects.get(pk=fan.pk).unread_conversations == 1
    row = AuditLog.objects.get(action=AuditLog.Action.MESSAGE_WARN)
    assert row.subject_id == fan.pk and row.after == {"conversation": conversation.pk}
    login(client, settled())
    denied = client.get(reverse("moderation:warning_message", args=[fan.username]))
    assert denied.status_code == 403


def _conversations(member, n):
    others = [settled() for _ in range(3)]
    for i in range(n):
        start(others[i % 3], member, subject=f"thread {i}")


@pytest.mark.parametrize("rows", [3, 40])
def test_the_conversation_list_queries_do_not_grow(client, django_assert_num_queries, rows):
    member = settled()
    _conversations(member, rows)
    login(client, member)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("forum:conversations"))
    assert response.status_code == 200
    shown = min(rows, 20)
    assert response.content.decode().count('class="unread"') == shown
    if rows > 20:
        after = response.context["after"]
        with django_assert_num_queries(LIST_QUERIES):
            older = client.get(reverse("forum:conversations"), {"after": after})
        assert older.content.decode().count('class="unread"') == 20


@pytest.mark.parametrize("rows", [3, 40])
def test_a_conversation_page_queries_do_not_grow(client, django_assert_num_queries, rows):
    alice, bob = settled(), settled()
    conversation = start(alice, bob)
    for i in range(rows - 1):
        services.message_send(conversation=conversation, author=alice, body=f"message {i}")
    login(client, bob)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(conversation.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="card message') == min(rows, 30)


def test_the_pages_speak_chinese(client):
    alice, bob = settled(), settled()
    conversation = start(alice, bob)
    login(client, bob)
    chinese = {"HTTP_ACCEPT_LANGUAGE": "zh-CN"}
    page = client.get(reverse("forum:conversations"), **chinese).content.decode()
    assert "私信" in page and "写私信" in page
    page = client.get(conversation.get_absolute_url(), **chinese).content.decode()
    assert "退出" in page or "离开" in page or "发送" in page


def test_the_moderation_log_shows_a_message_read(client):
    alice, bob = settled(), settled()
    message = Message.objects.get(conversation=start(alice, bob))
    from moderation import services as moderation_services

    report = moderation_services.message_report_create(message=message, reporter=bob, reason="spam")
    moderator = StaffFactory()
    moderation_services.message_report_read(report=report, actor=moderator)
    login(client, moderator)
    page = client.get(reverse("moderation:log"))
    assert page.status_code == 200 and "Read a reported message" in page.content.decode()
