"""The forum's side of erasing an account (moderation.services.member_data calls it)."""

from django.db.models import Q
from django.utils import timezone

from forum.caching import bump_pages_on_commit
from forum.models import (
    Attachment,
    Board,
    BoardModerator,
    BoardRead,
    BoardWatch,
    Bookmark,
    Conversation,
    ConversationParticipant,
    Message,
    Post,
    PostRevision,
    SectionModerator,
    Thread,
    ThreadRead,
    ThreadWatch,
)


def member_forum_erase(*, member, old_name: str, new_name: str) -> dict:
    """In the caller's transaction: the member's name rewritten wherever it is stored
    beside their posts, their reading marks, watches, pending uploads and moderator
    roles deleted; their posts stay, by deleted-<id>. The pages showing the old name
    get new cache versions. Returns what changed, for the audit row."""
    thread_ids = set(
        Thread.objects.filter(Q(author=member) | Q(last_poster_name=old_name)).values_list(
            "pk", flat=True
        )
    )
    thread_ids |= set(Post.objects.filter(author=member).values_list("thread_id", flat=True))
    board_ids = set(Thread.objects.filter(pk__in=thread_ids).values_list("board_id", flat=True))
    # Their posts keep no IP location either (config.regions): it was about them.
    posts = Post.objects.filter(author=member).update(author_name=new_name, region="")
    threads = Thread.objects.filter(author=member).update(author_name=new_name)
    Thread.objects.filter(last_poster_name=old_name).update(last_poster_name=new_name)
    Board.objects.filter(last_poster_name=old_name).update(last_poster_name=new_name)
    Thread.objects.filter(hidden_by_name=old_name).update(hidden_by_name=new_name)
    Post.objects.filter(hidden_by_name=old_name).update(hidden_by_name=new_name)
    PostRevision.objects.filter(editor=member).update(editor_name=new_name)
    ThreadRead.objects.filter(user=member).delete()
    ThreadWatch.objects.filter(user=member).delete()
    BoardRead.objects.filter(user=member).delete()
    BoardWatch.objects.filter(user=member).delete()
    Attachment.objects.filter(uploader=member, post__isnull=True).delete()
    # Their messages stay in others' conversations, by the name left behind; they leave
    # every conversation, and their bookmarks go.
    Message.objects.filter(author=member).update(author_name=new_name)
    Conversation.objects.filter(starter=member).update(starter_name=new_name)
    Conversation.objects.filter(last_sender_name=old_name).update(last_sender_name=new_name)
    ConversationParticipant.objects.filter(user=member).update(
        username=new_name, left_at=timezone.now(), has_unread=False
    )
    Bookmark.objects.filter(user=member).delete()
    BoardModerator.objects.filter(user=member).delete()
    SectionModerator.objects.filter(user=member).delete()
    bump_pages_on_commit(thread_ids=thread_ids, board_ids=board_ids)
    return {"posts": posts, "threads": threads}
