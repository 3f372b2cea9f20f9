"""Private messages through the services: unread counters, rules, blocks, leaving."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Notification, User
from forum import selectors, services
from forum.models import ConversationParticipant, Message
from tests.factories import UserFactory

from .messages_world import settled, start

pytestmark = pytest.mark.django_db


def unread(user) -> int:
    return User.objects.get(pk=user.pk).unread_conversations


def test_a_new_conversation_is_unread_for_the_recipients_only():
    alice, bob, carol = settled(), settled(), settled()
    conversation = start(alice, bob, carol, body="**hi** <script>x()</script>")
    assert (unread(alice), unread(bob), unread(carol)) == (0, 1, 1)
    message = Message.objects.get(conversation=conversation)
    assert "<strong>hi</strong>" in message.html and "<script>" not in message.html
    assert Notification.objects.filter(recipient=bob, kind="message").count() == 1


def test_a_second_message_before_reading_counts_the_conversation_once():
    alice, bob = settled(), settled()
    conversation = start(alice, bob)
    services.message_send(conversation=conversation, author=alice, body="again")
    assert unread(bob) == 1
    conversation.refresh_from_db()
    assert conversation.message_count == 2 and conversation.last_excerpt == "again"


def test_reading_clears_the_count_once_and_replying_makes_it_unread_for_the_other():
    alice, bob = settled(), settled()
    conversation = start(alice, bob)
    row = selectors.my_participation(bob, conversation.pk)
    assert services.conversation_mark_read(participant=row, up_to=conversation.last_message_id)
    assert not services.conversation_mark_read(participant=row, up_to=conversation.last_message_id)
    assert unread(bob) == 0
    services.message_send(conversation=conversation, author=bob, body="it worked")
    assert (unread(alice), unread(bob)) == (1, 0)


def test_the_cap_on_participants_is_a_field_error():
    alice = settled()
    others = [settled() for _ in range(3)]
    capped = override_settings(POPCORN={**settings.POPCORN, "MESSAGE_MAX_PARTICIPANTS": 3})
    with capped, pytest.raises(ValidationError) as error:
        start(alice, *others)
    assert "recipients" in error.value.message_dict


def test_unknown_recipients_and_oneself_are_refused():
    alice = settled()
    with pytest.raises(ValidationError) as error:
        services.conversation_start(author=alice, recipients=["nobody-here"], subject="s", body="b")
    assert "nobody-here" in str(error.value.message_dict["recipients"])
    with pytest.raises(ValidationError):
        services.conversation_start(
            author=alice, recipients=[alice.username], subject="s", body="b"
        )


def test_silenced_and_suspended_members_cannot_start_or_send():
    alice, bob = settled(), settled()
    conversation = start(alice, bob)
    later = timezone.now() + timedelta(days=1)
    User.objects.filter(pk=bob.pk).update(silenced_until=later, silence_reason="flame")
    bob.refresh_from_db()
    with pytest.raises(PermissionDenied, match="silenced"):
        services.message_send(conversation=conversation, author=bob, body="hey")
    with pytest.raises(PermissionDenied, match="silenced"):
        start(bob, alice)
    User.objects.filter(pk=alice.pk).update(suspended_until=later, suspension_reason="spam")
    alice.refresh_from_db()
    with pytest.raises(PermissionDenied, match="suspended"):
        services.message_send(conversation=conversation, author=alice, body="hey")


def test_new_members_may_start_only_the_daily_cap_of_conversations():
    newbie, bob = UserFactory(), settled()
    cap = settings.POPCORN["NEW_USER_CONVERSATIONS_PER_DAY"]
    for n in range(cap):
        start(newbie, bob, subject=f"question {n}")
    with pytest.raises(ValidationError) as error:
        start(newbie, bob, subject="one more")
    assert "conversations a day" in str(error.value.message_dict["recipients"])
    # Replying in one they have is not capped; a settled member is not capped at all.
    conversation = selectors.conversations_of(newbie).first().conversation
    services.message_send(conversation=conversation, author=newbie, body="more")
    for n in range(cap + 1):
        start(bob, newbie, subject=f"answer {n}")


def test_a_blocker_receives_nothing_from_whom_they_blocked():
    alice, bob, carol = settled(), settled(), settled()
    conversation = start(alice, bob, carol)
    row = selectors.my_participation(bob, conversation.pk)
    services.conversation_mark_read(participant=row, up_to=conversation.last_message_id)
    account_services.block_add(blocker=bob, blocked=alice)
    Notification.objects.all().delete()
    message = services.message_send(conversation=conversation, author=alice, body="you there?")
    assert unread(bob) == 0 and unread(carol) == 1
    assert not Notification.objects.filter(recipient=bob).exists()
    bob_row = selectors.my_participation(bob, conversation.pk)
    assert message not in selectors.messages_for(bob_row)
    assert message in selectors.messages_for(selectors.my_participation(carol, conversation.pk))
    with pytest.raises(ValidationError, match="does not accept"):
        start(alice, bob)


def test_a_moderator_warning_reaches_a_member_who_blocked_the_moderator():
    moderator, bob = settled(is_global_moderator=True), settled()
    account_services.block_add(blocker=bob, blocked=moderator)
    conversation = start(moderator, bob, is_warning=True, body="Stop the spam, please.")
    assert unread(bob) == 1
    assert Notification.objects.filter(recipient=bob, kind="moderation").exists()
    row = selectors.my_participation(bob, conversation.pk)
    assert selectors.messages_for(row).count() == 1


def test_members_cannot_send_warnings():
    alice, bob = settled(), settled()
    with pytest.raises(PermissionDenied):
        start(alice, bob, is_warning=True)


def test_non_participants_cannot_send_or_open():
    alice, bob, eve = settled(), settled(), settled()
    conversation = start(alice, bob)
    with pytest.raises(PermissionDenied):
        services.message_send(conversation=conversation, author=eve, body="hi")
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.my_participation(eve, conversation.pk)


def test_leaving_drops_the_conversation_and_its_unread_mark():
    alice, bob = settled(), settled()
    conversation = start(alice, bob)
    row = selectors.my_participation(bob, conversation.pk)
    assert services.conversation_leave(participant=row)
    assert unread(bob) == 0
    assert not selectors.conversations_of(bob).exists()
    services.message_send(conversation=conversation, author=alice, body="gone?")
    assert unread(bob) == 0


def test_the_repair_path_recounts_unread_conversations():
    alice, bob = settled(), settled()
    start(alice, bob)
    start(alice, bob, subject="second")
    User.objects.filter(pk=bob.pk).update(unread_conversations=7)
    ConversationParticipant.objects.filter(user=alice).update(has_unread=False)
    assert services.conversations_sync_unread() == 1
    assert unread(bob) == 2
