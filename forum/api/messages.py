"""The API of private messages (私信) and bookmarks: the pages' services and selectors,
thin serializers. Conversations are the caller's own: anyone not in one gets a 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from rest_framework import serializers
from rest_framework import status as http
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from config.api_schema import api_doc
from config.api_views import ApiListView, ApiView
from forum import selectors, services
from forum.models import Post
from forum.permissions import can_view_post

MINE = "Signed-in members (their own conversations; anyone else's is a 404)."
ID = {"min_value": 1, "max_value": 2**63 - 1}


# Serializers ---------------------------------------------------------------------------


class ConversationOut(serializers.Serializer):
    id = serializers.IntegerField(source="conversation_id")
    subject = serializers.CharField(source="conversation.subject")
    is_warning = serializers.BooleanField(source="conversation.is_warning")
    unread = serializers.BooleanField(source="has_unread")
    last_message_at = serializers.DateTimeField()
    last_sender = serializers.CharField(source="conversation.last_sender_name")
    last_excerpt = serializers.CharField(source="conversation.last_excerpt")
    message_count = serializers.IntegerField(source="conversation.message_count")


class ParticipantOut(serializers.Serializer):
    username = serializers.CharField()
    joined_at = serializers.DateTimeField()
    left = serializers.SerializerMethodField()

    def get_left(self, row) -> bool:
        return row.left_at is not None


class ConversationDetailOut(ConversationOut):
    participants = ParticipantOut(many=True)
    last_read_message_id = serializers.IntegerField()


class MessageOut(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.CharField(source="author_name")
    html = serializers.CharField(help_text="Sanitised HTML, rendered once when sent.")
    source = serializers.CharField(help_text="The Markdown as written.")
    is_warning = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class ConversationIn(serializers.Serializer):
    recipients = serializers.ListField(
        child=serializers.CharField(max_length=150), min_length=1, max_length=100
    )
    subject = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=100_000)


class MessageIn(serializers.Serializer):
    body = serializers.CharField(max_length=100_000)


class ConversationReadIn(serializers.Serializer):
    message_id = serializers.IntegerField(**ID)


class UnreadConversationsOut(serializers.Serializer):
    unread = serializers.IntegerField()


class BookmarkOut(serializers.Serializer):
    post_id = serializers.IntegerField()
    thread_id = serializers.IntegerField(source="post.thread_id")
    thread_title = serializers.CharField(source="post.thread.title")
    floor = serializers.IntegerField(source="post.floor", allow_null=True)
    author = serializers.CharField(source="post.author_name")
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class BookmarkIn(serializers.Serializer):
    post_id = serializers.IntegerField(**ID)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


def _valid(serializer_class, request):
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


def _detail(participant) -> dict:
    participant.participants = selectors.participants_of(participant.conversation_id)
    return ConversationDetailOut(participant).data


# Conversations ---------------------------------------------------------------------------


class ConversationList(ApiListView):
    permission_classes = [IsAuthenticated]
    serializer_class = ConversationOut
    ordering = ("-last_message_at", "-id")

    def get_queryset(self):
        return selectors.conversations_of(self.request.user)

    @api_doc(
        tag="messages",
        summary="My conversations",
        permission=MINE,
        responses={200: ConversationOut(many=True)},
        errors=(400,),
        description="Latest message first; those I left are not listed.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @api_doc(
        tag="messages",
        summary="Start a conversation",
        permission=(
            "Signed-in members who are neither suspended nor silenced; new members up to "
            "POPCORN NEW_USER_CONVERSATIONS_PER_DAY a day."
        ),
        request=ConversationIn,
        responses={201: ConversationDetailOut},
        errors=(400,),
        description=(
            "`recipients` are member names (at most MESSAGE_MAX_PARTICIPANTS - 1). A member "
            "who blocked the caller is refused in `errors.recipients`."
        ),
    )
    def post(self, request, *args, **kwargs):
        data = _valid(ConversationIn, request)
        conversation = services.conversation_start(author=request.user, **data)
        participant = selectors.my_participation(request.user, conversation.pk)
        return Response(_detail(participant), status=http.HTTP_201_CREATED)


class ConversationDetail(ApiView):
    permission_classes = [IsAuthenticated]

    @api_doc(
        tag="messages",
        summary="One of my conversations",
        permission=MINE,
        responses={200: ConversationDetailOut},
        errors=(404,),
    )
    def get(self, request, conversation_id):
        return Response(_detail(selectors.my_participation(request.user, conversation_id)))


class ConversationMessages(ApiListView):
    permission_classes = [IsAuthenticated]
    serializer_class = MessageOut
    ordering = ("-id",)

    def get_queryset(self):
        self.participant = selectors.my_participation(
            self.request.user, self.kwargs["conversation_id"]
        )
        return selectors.messages_for(self.participant)

    @api_doc(
        tag="messages",
        summary="The messages of one of my conversations",
        permission=MINE,
        responses={200: MessageOut(many=True)},
        errors=(400, 404),
        description=(
            "Newest first. Messages of members I blocked are left out (moderator warnings "
            "never). Reading does not move my read marker: POST …/read/ does."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @api_doc(
        tag="messages",
        summary="Send a message in one of my conversations",
        permission=MINE + " Not while suspended or silenced.",
        request=MessageIn,
        responses={201: MessageOut},
        errors=(400, 404),
    )
    def post(self, request, conversation_id):
        participant = selectors.my_participation(request.user, conversation_id)
        data = _valid(MessageIn, request)
        message = services.message_send(
            conversation=participant.conversation, author=request.user, body=data["body"]
        )
        return Response(MessageOut(message).data, status=http.HTTP_201_CREATED)


class ConversationRead(ApiView):
    permission_classes = [IsAuthenticated]

    @api_doc(
        tag="messages",
        summary="Move my read marker in a conversation",
        permission=MINE,
        request=ConversationReadIn,
        responses={200: ConversationDetailOut},
        errors=(400, 404),
        description="Never moves back; reading to the last message clears its unread mark.",
    )
    def post(self, request, conversation_id):
        participant = selectors.my_participation(request.user, conversation_id)
        data = _valid(ConversationReadIn, request)
        up_to = min(data["message_id"], participant.conversation.last_message_id)
        services.conversation_mark_read(participant=participant, up_to=up_to)
        return Response(_detail(participant))


class ConversationLeave(ApiView):
    permission_classes = [IsAuthenticated]

    @api_doc(
        tag="messages",
        summary="Leave a conversation",
        permission=MINE,
        request=None,
        responses={204: None},
        errors=(404,),
        description="It leaves my list and nothing more from it reaches me.",
    )
    def post(self, request, conversation_id):
        participant = selectors.my_participation(request.user, conversation_id)
        services.conversation_leave(participant=participant)
        return Response(status=http.HTTP_204_NO_CONTENT)


class UnreadConversations(ApiView):
    permission_classes = [IsAuthenticated]

    @api_doc(
        tag="messages",
        summary="How many of my conversations have unread messages",
        permission="Signed-in members (their own).",
        responses={200: UnreadConversationsOut},
        description="The header's number: read from my account, no count query.",
    )
    def get(self, request):
        return Response({"unread": request.user.unread_conversations})


# Bookmarks ---------------------------------------------------------------------------------


class BookmarkList(ApiListView):
    permission_classes = [IsAuthenticated]
    serializer_class = BookmarkOut
    ordering = ("-created_at", "-id")

    def get_queryset(self):
        return selectors.bookmarks_of(self.request.user)

    @api_doc(
        tag="bookmarks",
        summary="My bookmarks",
        permission="Signed-in members (their own).",
        responses={200: BookmarkOut(many=True)},
        errors=(400,),
        description="Newest first; posts I can no longer see are left out.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @api_doc(
        tag="bookmarks",
        summary="Bookmark a post (again: change its note)",
        permission="Signed-in members, of posts they can see (else a 404).",
        request=BookmarkIn,
        responses={201: BookmarkOut},
        errors=(400, 404),
    )
    def post(self, request, *args, **kwargs):
        data = _valid(BookmarkIn, request)
        post = get_object_or_404(Post.objects.select_related("thread__board"), pk=data["post_id"])
        if not can_view_post(request.user, post):
            raise Http404
        bookmark = services.bookmark_add(user=request.user, post=post, note=data["note"])
        return Response(BookmarkOut(bookmark).data, status=http.HTTP_201_CREATED)


class BookmarkDetail(ApiView):
    permission_classes = [IsAuthenticated]

    @api_doc(
        tag="bookmarks",
        summary="Remove a bookmark",
        permission="Signed-in members (their own).",
        responses={204: None},
        errors=(404,),
    )
    def delete(self, request, post_id):
        if not services.bookmark_remove(user=request.user, post_id=post_id):
            raise Http404
        return Response(status=http.HTTP_204_NO_CONTENT)
