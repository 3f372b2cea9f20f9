"""The API of drafts (草稿) and the preview: the pages' services and selectors, thin
serializers. A draft is its member's alone: there is no address to read anyone else's."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework import status as http
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.models import Device
from config.api_schema import api_doc
from config.api_views import ApiListView, ApiView
from forum import permissions, selectors, services
from forum.models import Board

MINE = "Signed-in members, their own draft (nobody can read another member's)."
SAVE = (
    "Signed-in members who may post there (the pages' rule: not silenced or suspended, "
    "verified email, the board's posting rule, the thread open): a draft is kept only where "
    "it can be posted."
)
BODY_LIMIT = "At most POST_MAX_LENGTH characters (20,000 by default), as a post."


class DraftOut(serializers.Serializer):
    board = serializers.CharField(
        source="board.slug", allow_null=True, default=None, help_text="A new thread's board."
    )
    thread_id = serializers.IntegerField(allow_null=True, help_text="A reply's thread.")
    title = serializers.CharField()
    body = serializers.CharField(help_text="The Markdown as typed.")
    thread_type = serializers.CharField(help_text="A new thread's type; empty: not chosen.")
    device = serializers.CharField(
        source="device.codename", allow_null=True, default=None, help_text="A codename."
    )
    firmware_version = serializers.CharField()
    updated_at = serializers.DateTimeField()


class ReplyDraftIn(serializers.Serializer):
    body = serializers.CharField(
        max_length=100_000, allow_blank=True, trim_whitespace=False, help_text=BODY_LIMIT
    )


class ThreadDraftIn(ReplyDraftIn):
    title = serializers.CharField(max_length=1000, allow_blank=True, required=False, default="")
    thread_type = serializers.CharField(max_length=12, allow_blank=True, required=False, default="")
    device = serializers.CharField(
        max_length=100, allow_blank=True, required=False, default="", help_text="A codename."
    )
    firmware_version = serializers.CharField(
        max_length=100, allow_blank=True, required=False, default=""
    )


class PreviewIn(serializers.Serializer):
    body = serializers.CharField(
        max_length=100_000, allow_blank=True, trim_whitespace=False, help_text=BODY_LIMIT
    )


class PreviewOut(serializers.Serializer):
    html = serializers.CharField(
        help_text="Exactly the sanitised HTML a post with this body would store."
    )


def _valid(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def _board(request, slug: str) -> Board:
    board = get_object_or_404(Board, slug=slug)
    permissions.check_can_view_board(request.user, board)
    return board


def _device(codename: str) -> Device | None:
    if not codename:
        return None
    device = Device.objects.filter(codename=codename).first()
    if device is None:
        raise ValidationError({"device": [_("No such device.")]})
    return device


def _found(draft) -> Response:
    if draft is None:
        raise Http404
    return Response(DraftOut(draft).data)


def _saved(draft) -> Response:
    if draft is None:  # nothing written: the draft was deleted
        return Response(status=http.HTTP_204_NO_CONTENT)
    return Response(DraftOut(draft).data)


class BoardDraft(ApiView):
    permission_classes = [IsAuthenticated]

    @api_doc(
        tag="drafts",
        summary="My draft of a new thread in a board",
        permission=MINE,
        responses={200: DraftOut},
        errors=(403, 404),
        description="404 when I have none (or no such board); 403 for a board I cannot see.",
    )
    def get(self, request, board_slug):
        return _found(selectors.draft_for(request.user, board=_board(request, board_slug)))

    @api_doc(
        tag="drafts",
        summary="Save my draft of a new thread in a board",
        permission=SAVE,
        request=ThreadDraftIn,
        responses={200: DraftOut, 204: None},
        errors=(400, 404),
        description=(
            "Replaces the draft (one per member and board; two saves at once leave one). "
            "With no title and no body the draft is deleted: 204. Files are not kept."
        ),
    )
    def put(self, request, board_slug):
        board = _board(request, board_slug)
        data = _valid(ThreadDraftIn, request)
        data["device"] = _device(data["device"])
        return _saved(services.draft_save(user=request.user, board=board, **data))

    @api_doc(
        tag="drafts",
        summary="Discard my draft of a new thread in a board",
        permission=MINE + " Always allowed, sanctioned or not.",
        responses={204: None},
        errors=(404,),
    )
    def delete(self, request, board_slug):
        if not services.draft_discard(user=request.user, board=_board(request, board_slug)):
            raise Http404
        return Response(status=http.HTTP_204_NO_CONTENT)


class ThreadDraft(ApiView):
    permission_classes = [IsAuthenticated]

    def _thread(self, request, thread_id):
        return selectors.thread_for_viewer(request.user, thread_id)

    @api_doc(
        tag="drafts",
        summary="My draft of a reply to a thread",
        permission=MINE,
        responses={200: DraftOut},
        errors=(403, 404),
        description="404 when I have none (or no such thread); 403 for a board I cannot see.",
    )
    def get(self, request, thread_id):
        return _found(selectors.draft_for(request.user, thread=self._thread(request, thread_id)))

    @api_doc(
        tag="drafts",
        summary="Save my draft of a reply to a thread",
        permission=SAVE,
        request=ReplyDraftIn,
        responses={200: DraftOut, 204: None},
        errors=(400, 404),
        description=(
            "Replaces the draft (one per member and thread). An empty body deletes it: 204."
        ),
    )
    def put(self, request, thread_id):
        thread = self._thread(request, thread_id)
        data = _valid(ReplyDraftIn, request)
        return _saved(services.draft_save(user=request.user, thread=thread, **data))

    @api_doc(
        tag="drafts",
        summary="Discard my draft of a reply to a thread",
        permission=MINE + " Always allowed, sanctioned or not.",
        responses={204: None},
        errors=(404,),
    )
    def delete(self, request, thread_id):
        thread = self._thread(request, thread_id)
        if not services.draft_discard(user=request.user, thread=thread):
            raise Http404
        return Response(status=http.HTTP_204_NO_CONTENT)


class DraftList(ApiListView):
    permission_classes = [IsAuthenticated]
    serializer_class = DraftOut
    ordering = ("-updated_at", "-id")

    def get_queryset(self):
        return selectors.drafts_of(self.request.user)

    @api_doc(
        tag="drafts",
        summary="My drafts",
        permission="Signed-in members (their own).",
        responses={200: DraftOut(many=True)},
        errors=(400,),
        description=(
            "Last saved first; drafts of boards or threads I can no longer see are left out."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class Preview(ApiView):
    permission_classes = [IsAuthenticated]

    @api_doc(
        tag="drafts",
        summary="Preview a post's Markdown",
        permission="Signed-in members.",
        request=PreviewIn,
        responses={200: PreviewOut},
        errors=(400,),
        description=(
            "Renders through the function posting stores a post's HTML with (Markdown, "
            "@mentions of existing members, nh3's sanitising): the HTML is what a post with "
            "this body would show. Writes nothing. An empty body previews as an empty string."
        ),
    )
    def post(self, request):
        body = _valid(PreviewIn, request)["body"]
        return Response({"html": services.draft_preview(body=body)})
