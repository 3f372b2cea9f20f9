"""The new members' daily cap of conversations under concurrent starts, on PostgreSQL."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from accounts.models import User
from forum import services
from forum.models import Conversation, ConversationDailyCount, ConversationParticipant
from tests.factories import UserFactory
from tests.utils import postgresql_only, run_at_once

from .messages_world import settled


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_starts_at_once_at_the_cap_let_only_one_through():
    newbie, friend = UserFactory(), settled()
    cap = settings.POPCORN["NEW_USER_CONVERSATIONS_PER_DAY"]
    for n in range(cap - 1):
        services.conversation_start(
            author=newbie, recipients=[friend.username], subject=f"q{n}", body="hi"
        )

    def begin(subject, wait):
        author = User.objects.get(pk=newbie.pk)
        wait()
        return services.conversation_start(
            author=author, recipients=[friend.username], subject=subject, body="hi"
        )

    started, errors = run_at_once(["last one", "one too many"], begin)
    assert len(started) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError) and "a day" in str(errors[0])
    assert Conversation.objects.filter(starter=newbie).count() == cap
    assert ConversationDailyCount.objects.get(user=newbie).started == cap


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_sends_and_reads_at_once_keep_the_unread_counter_exact():
    alice, bob = settled(), settled()
    conversation = services.conversation_start(
        author=alice, recipients=[bob.username], subject="s", body="hi"
    )

    def act(item, wait):
        kind, n = item
        wait()
        if kind == "send":
            return services.message_send(
                conversation=conversation, author=User.objects.get(pk=alice.pk), body=f"m{n}"
            )
        row = ConversationParticipant.objects.get(conversation=conversation, user=bob)
        return services.conversation_mark_read(participant=row, up_to=conversation.last_message_id)

    _done, errors = run_at_once(
        [("send", n) for n in range(4)] + [("read", n) for n in range(4)], act
    )
    assert not errors
    row = ConversationParticipant.objects.get(conversation=conversation, user=bob)
    assert User.objects.get(pk=bob.pk).unread_conversations == int(row.has_unread)
