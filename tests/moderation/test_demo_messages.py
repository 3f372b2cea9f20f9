"""The demo shows private messages, a moderator warning as a message, a reported message,
a bookmark and a block in use."""

import pytest

from accounts.models import Block, User
from forum.models import Bookmark, Conversation, ConversationParticipant
from moderation.models import AuditLog, MessageReport

from .test_demo import demo_output  # noqa: F401  (the shared, rolled-back load)

pytestmark = pytest.mark.django_db


class TestDemoMessages:
    def test_conversations_with_an_unread_one_and_a_warning(self, demo_output):  # noqa: F811
        assert Conversation.objects.filter(is_warning=False, message_count__gte=3).exists()
        assert Conversation.objects.filter(is_warning=True).count() == 1
        assert AuditLog.objects.filter(action=AuditLog.Action.MESSAGE_WARN).count() == 1
        unread = ConversationParticipant.objects.filter(has_unread=True)
        assert unread.exists()
        for user in User.objects.filter(pk__in=unread.values("user_id")):
            assert user.unread_conversations == unread.filter(user=user).count()

    def test_a_reported_message_a_bookmark_and_a_block(self, demo_output):  # noqa: F811
        assert MessageReport.objects.filter(status="open").count() == 1
        assert Bookmark.objects.exclude(note="").count() == 1
        block = Block.objects.get()
        assert User.objects.get(pk=block.blocker_id).block_count == 1

    def test_the_demo_member_has_a_reply_draft_and_a_new_thread_draft(
        self,
        demo_output,  # noqa: F811
    ):
        from forum.models import Draft

        drafts = Draft.objects.filter(user__username="demo")
        assert drafts.filter(thread__isnull=False).count() == 1
        assert drafts.filter(board__isnull=False).exclude(title="").count() == 1
