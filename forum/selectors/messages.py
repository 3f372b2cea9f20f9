"""Reads of private messages and bookmarks, each a fixed number of queries."""

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts import selectors as account_selectors
from config.paging import keyset_page
from forum.models import Board, Bookmark, ConversationParticipant, Message

CONVERSATION_ORDER = ("-last_message_at", "-id")
BOOKMARK_ORDER = ("-created_at", "-id")


def conversations_of(user):
    """My conversations (the ones I have not left), latest message first: the
    participant_inbox index, the conversation joined, no message read."""
    return ConversationParticipant.objects.filter(user=user, left_at__isnull=True).select_related(
        "conversation"
    )


def conversation_page(user, *, after: str | None = None):
    """(participant rows, next token): one query at any depth."""
    return keyset_page(
        conversations_of(user),
        ordering=CONVERSATION_ORDER,
        after=after,
        size=settings.POPCORN["CONVERSATIONS_PER_PAGE"],
    )


def my_participation(user, conversation_id: int) -> ConversationParticipant:
    """My row in a conversation with the conversation, or a 404 for anyone not in it."""
    if not user.is_authenticated:
        raise Http404
    row = get_object_or_404(
        ConversationParticipant.objects.select_related("conversation"),
        conversation_id=conversation_id,
        user=user,
        left_at__isnull=True,
    )
    row.user = user  # the request's own object: its block list, no second load
    return row


def messages_for(participant: ConversationParticipant):
    """The messages a participant reads: not those of members they blocked (warnings
    always), newest first (message_in_conversation index)."""
    messages = Message.objects.filter(conversation_id=participant.conversation_id)
    blocked = account_selectors.blocked_ids(participant.user)
    if blocked:
        messages = messages.exclude(Q(author_id__in=blocked) & Q(is_warning=False))
    return messages


def message_page(participant: ConversationParticipant, *, before: str | None = None):
    """(messages oldest first, token of the older page or None): one query (+1 for my blocks)."""
    rows, older = keyset_page(
        messages_for(participant),
        ordering=("-id",),
        after=before,
        size=settings.POPCORN["MESSAGES_PER_PAGE"],
    )
    rows.reverse()
    return rows, older


def participants_of(conversation_id: int) -> list[ConversationParticipant]:
    return list(
        ConversationParticipant.objects.filter(conversation_id=conversation_id).order_by(
            "joined_at", "id"
        )
    )


def bookmarks_of(user):
    """My bookmarks of posts I can still see, with their post, thread and board (one join)."""
    return (
        Bookmark.objects.filter(
            user=user,
            post__is_hidden=False,
            post__is_pending=False,
            post__thread__is_hidden=False,
            post__thread__board__in=Board.objects.visible_to(user),
        )
        .select_related("post__thread")
        .defer("post__search_text", "post__source", "post__html")
    )


def bookmark_page(user, *, after: str | None = None):
    return keyset_page(
        bookmarks_of(user),
        ordering=BOOKMARK_ORDER,
        after=after,
        size=settings.POPCORN["BOOKMARKS_PER_PAGE"],
    )


def bookmarked_post_ids(user, post_ids) -> frozenset[int]:
    if not user.is_authenticated or not post_ids:
        return frozenset()
    return frozenset(
        Bookmark.objects.filter(user=user, post_id__in=post_ids).values_list("post_id", flat=True)
    )
