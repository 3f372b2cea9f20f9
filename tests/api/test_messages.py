"""The messages, bookmarks and blocks API: per role, the same rules as the pages,
cursor pages with pinned query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Block, User
from forum import services
from forum.models import Board, Bookmark, Message
from moderation.models import AuditLog, MessageReport
from tests.api.conftest import token_client
from tests.factories import BoardFactory, StaffFactory, UserFactory, make_reply, make_thread
from tests.forum.messages_world import settled, start

pytestmark = pytest.mark.django_db

# A token: its session checked and read, and its user (3); one page of rows (1).
API_LIST = 4


def test_anonymous_calls_are_401(api):
    for url in ("/api/v1/conversations/", "/api/v1/bookmarks/", "/api/v1/blocks/"):
        assert api.get(url).status_code == 401
    response = api.post(
        "/api/v1/conversations/", {"recipients": ["x"], "subject": "s", "body": "b"}, format="json"
    )
    assert response.status_code == 401


def test_start_list_read_and_reply():
    alice, bob = settled(), settled()
    alice_api, bob_api = token_client(alice), token_client(bob)
    response = alice_api.post(
        "/api/v1/conversations/",
        {"recipients": [bob.username], "subject": "Hello", "body": "**hi**"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    conversation_id = response.json()["id"]
    assert [p["username"] for p in response.json()["participants"]] == [
        alice.username,
        bob.username,
    ]
    assert bob_api.get("/api/v1/conversations/unread-count/").json() == {"unread": 1}
    listed = bob_api.get("/api/v1/conversations/").json()["results"]
    assert listed[0]["id"] == conversation_id and listed[0]["unread"] is True
    messages = bob_api.get(f"/api/v1/conversations/{conversation_id}/messages/").json()
    assert "<strong>hi</strong>" in messages["results"][0]["html"]
    last = messages["results"][0]["id"]
    read = bob_api.post(
        f"/api/v1/conversations/{conversation_id}/read/", {"message_id": last}, format="json"
    )
    assert read.status_code == 200 and read.json()["unread"] is False
    assert User.objects.get(pk=bob.pk).unread_conversations == 0
    sent = bob_api.post(
        f"/api/v1/conversations/{conversation_id}/messages/", {"body": "yes"}, format="json"
    )
    assert sent.status_code == 201
    assert User.objects.get(pk=alice.pk).unread_conversations == 1


def test_bad_input_and_a_blocking_recipient_are_400_with_field_messages():
    alice, bob = settled(), settled()
    Block.objects.create(blocker=bob, blocked=alice)
    response = token_client(alice).post(
        "/api/v1/conversations/",
        {"recipients": [bob.username], "subject": "Hello", "body": "hi"},
        format="json",
    )
    assert response.status_code == 400
    assert "does not accept" in response.json()["errors"]["recipients"][0]
    empty = token_client(alice).post("/api/v1/conversations/", {}, format="json")
    assert empty.status_code == 400 and "recipients" in empty.json()["errors"]


def test_a_non_participant_and_moderators_get_404():
    conversation = start(settled(), settled())
    for outsider in (settled(), settled(is_global_moderator=True), StaffFactory()):
        client = token_client(outsider)
        assert client.get(f"/api/v1/conversations/{conversation.pk}/").status_code == 404
        assert client.get(f"/api/v1/conversations/{conversation.pk}/messages/").status_code == 404
        sent = client.post(
            f"/api/v1/conversations/{conversation.pk}/messages/", {"body": "x"}, format="json"
        )
        assert sent.status_code == 404


def test_a_silenced_member_gets_403_with_the_reason():
    alice, bob = settled(), settled()
    conversation = start(alice, bob)
    User.objects.filter(pk=bob.pk).update(
        silenced_until=timezone.now() + timedelta(days=1), silence_reason="flame"
    )
    response = token_client(bob).post(
        f"/api/v1/conversations/{conversation.pk}/messages/", {"body": "x"}, format="json"
    )
    assert response.status_code == 403 and "silenced" in response.json()["detail"]
    assert Message.objects.count() == 1


def test_the_new_members_daily_cap_is_a_400():
    newbie, bob = UserFactory(), settled()
    client = token_client(newbie)
    body = {"recipients": [bob.username], "subject": "q", "body": "hi"}
    codes = [
        client.post("/api/v1/conversations/", body, format="json").status_code for _ in range(4)
    ]
    assert codes == [201, 201, 201, 400]


def test_leaving():
    alice, bob = settled(), settled()
    conversation = start(alice, bob)
    client = token_client(bob)
    assert client.post(f"/api/v1/conversations/{conversation.pk}/leave/").status_code == 204
    assert client.get(f"/api/v1/conversations/{conversation.pk}/").status_code == 404
    assert User.objects.get(pk=bob.pk).unread_conversations == 0


@pytest.mark.parametrize("rows", [3, 40])
def test_the_conversation_list_queries_do_not_grow(django_assert_num_queries, rows):
    member = settled()
    others = [settled() for _ in range(3)]
    for n in range(rows):
        start(others[n % 3], member, subject=f"s{n}")
    client = token_client(member)
    with django_assert_num_queries(API_LIST):
        page = client.get("/api/v1/conversations/").json()
    assert len(page["results"]) == min(rows, 20)
    if page["next"]:
        with django_assert_num_queries(API_LIST + 1):  # + my participant row
            client.get(f"/api/v1/conversations/{page['results'][0]['id']}/messages/")


@pytest.mark.parametrize("rows", [3, 40])
def test_the_message_list_queries_do_not_grow(django_assert_num_queries, rows):
    alice, bob = settled(), settled()
    conversation = start(alice, bob)
    for n in range(rows - 1):
        services.message_send(conversation=conversation, author=alice, body=f"m{n}")
    client = token_client(bob)
    # A token (3), my participant row (1), one page of messages (1).
    with django_assert_num_queries(API_LIST + 1):
        page = client.get(f"/api/v1/conversations/{conversation.pk}/messages/").json()
    assert len(page["results"]) == min(rows, 20)


def test_reporting_a_message_and_the_audited_read():
    alice, bob = settled(), settled()
    message = Message.objects.get(conversation=start(alice, bob, body="spam spam"))
    response = token_client(bob).post(
        f"/api/v1/messages/{message.pk}/report/", {"reason": "spam"}, format="json"
    )
    assert response.status_code == 201
    again = token_client(bob).post(
        f"/api/v1/messages/{message.pk}/report/", {"reason": "spam"}, format="json"
    )
    assert again.status_code == 409
    outsider = token_client(settled()).post(
        f"/api/v1/messages/{message.pk}/report/", {"reason": "spam"}, format="json"
    )
    assert outsider.status_code == 404
    report = MessageReport.objects.get()
    assert token_client(bob).get("/api/v1/moderation/message-reports/").status_code == 403
    moderator = token_client(settled(is_global_moderator=True))
    assert moderator.get("/api/v1/moderation/message-reports/").json()["results"][0]["id"] == (
        report.pk
    )
    read = moderator.get(f"/api/v1/moderation/message-reports/{report.pk}/")
    assert read.status_code == 200 and "spam spam" in read.json()["html"]
    assert AuditLog.objects.filter(action=AuditLog.Action.MESSAGE_READ).count() == 1
    closed = moderator.post(
        f"/api/v1/moderation/message-reports/{report.pk}/close/",
        {"outcome": "dismiss", "reason": "not spam"},
        format="json",
    )
    assert closed.json() == {"closed": 1}


def test_a_warning_message_by_staff_and_not_by_members():
    fan = settled()
    url = f"/api/v1/moderation/members/{fan.username}/warning-message/"
    body = {"subject": "Warning", "body": "Stop it."}
    assert token_client(settled()).post(url, body, format="json").status_code == 403
    response = token_client(StaffFactory()).post(url, body, format="json")
    assert response.status_code == 201
    assert AuditLog.objects.filter(action=AuditLog.Action.MESSAGE_WARN).count() == 1


def test_bookmarks_api():
    me = UserFactory()
    thread = make_thread()
    post = make_reply(thread=thread)
    client = token_client(me)
    response = client.post("/api/v1/bookmarks/", {"post_id": post.pk, "note": "n"}, format="json")
    assert response.status_code == 201 and response.json()["floor"] == post.floor
    assert client.get("/api/v1/bookmarks/").json()["results"][0]["note"] == "n"
    hidden_board = BoardFactory(visibility=Board.Visibility.STAFF)
    secret = make_thread(board=hidden_board, author=StaffFactory()).posts.get()
    refused = client.post("/api/v1/bookmarks/", {"post_id": secret.pk}, format="json")
    assert refused.status_code == 404
    assert client.delete(f"/api/v1/bookmarks/{post.pk}/").status_code == 204
    assert client.delete(f"/api/v1/bookmarks/{post.pk}/").status_code == 404
    assert not Bookmark.objects.exists()


def test_blocks_api():
    me, troll = UserFactory(), UserFactory()
    client = token_client(me)
    response = client.post("/api/v1/blocks/", {"username": troll.username}, format="json")
    assert response.status_code == 201
    assert client.get("/api/v1/blocks/").json()["results"][0]["username"] == troll.username
    own = client.post("/api/v1/blocks/", {"username": me.username}, format="json")
    assert own.status_code == 400 and "username" in own.json()["errors"]
    assert client.delete(f"/api/v1/blocks/{troll.username}/").status_code == 204
    assert not Block.objects.exists()
