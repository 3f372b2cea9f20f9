"""The forum's API operations: load with the selectors (the pages' visibility rules),
write with the services, render with forum.api.serializers.

Refusals are the services' and forum.permissions' own exceptions: config.api_errors
turns them into 403 (with the page's reason), 404, 400, 409 and 429.
"""

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response

from config.api_schema import IDEMPOTENCY_KEY, api_doc
from config.api_views import ApiListView, ApiView, request_fingerprint
from forum import permissions, selectors, services
from forum.api import serializers as s
from forum.models import Board, Section

REPLAYED_HEADER = "Idempotent-Replayed"


def _create_once(request, payload: dict, create):
    """create() once per Idempotency-Key (if the call sent one); returns (post, replayed)."""
    key = request.headers.get(IDEMPOTENCY_KEY.name)
    if key is None:
        return create(), False
    return services.post_create_once(
        user=request.user,
        key=key,
        fingerprint=request_fingerprint(request, payload),
        create=create,
    )


def _created(data, replayed: bool) -> Response:
    response = Response(data, status=status.HTTP_201_CREATED)
    if replayed:
        response[REPLAYED_HEADER] = "true"
    return response


# boards ---------------------------------------------------------------------------------


class SectionList(ApiListView):
    serializer_class = s.SectionOut
    ordering = ("position", "id")

    def get_queryset(self):
        boards = Board.objects.visible_to(self.request.user).select_related("device")
        return Section.objects.filter(
            Exists(boards.filter(section=OuterRef("pk")))
        ).prefetch_related(
            Prefetch("boards", queryset=boards.order_by("position", "id"), to_attr="visible_boards")
        )

    @api_doc(
        tag="boards",
        summary="Sections and the boards the caller may see",
        permission="Anyone; private and staff boards only for those who may read them.",
        responses={200: s.SectionOut(many=True)},
        errors=(400,),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# threads --------------------------------------------------------------------------------


class BoardThreads(ApiView):
    @api_doc(
        tag="threads",
        summary="Start a thread",
        permission=(
            "Members who may post in the board (verified email, not silenced or "
            "suspended; staff-only boards: staff); the posting limits apply."
        ),
        request=s.ThreadCreateIn,
        responses={201: s.ThreadOut},
        errors=(400, 404, 409),
        parameters=[IDEMPOTENCY_KEY],
        description=(
            "Device and firmware version are checked as on the page. A thread held for "
            "approval is returned with `is_pending: true`."
        ),
    )
    def post(self, request, slug):
        board = get_object_or_404(Board, slug=slug)
        permissions.check_can_view_board(request.user, board)
        data = s.ThreadCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fingerprint = {
            **fields,
            "device": fields["device"].codename if fields.get("device") else None,
        }

        def create():
            return services.thread_create(board=board, author=request.user, **fields).posts.get(
                floor=1
            )

        opening, replayed = _create_once(request, fingerprint, create)
        return _created(s.ThreadOut(opening.thread).data, replayed)


# posts ----------------------------------------------------------------------------------


class ThreadPosts(ApiView):
    @api_doc(
        tag="posts",
        summary="Reply to a thread",
        permission=(
            "Members who may reply (verified email, not silenced or suspended; the thread "
            "open or the caller its moderator); the posting limits and slow mode apply."
        ),
        request=s.ReplyIn,
        responses={201: s.PostOut},
        errors=(400, 404, 409),
        parameters=[IDEMPOTENCY_KEY],
        description=(
            "`quote_post_id` puts a quote of that post (of this thread) above the body. A "
            "reply held for approval has `floor: null` and `is_pending: true`."
        ),
    )
    def post(self, request, thread_id):
        thread = selectors.thread_for_viewer(request.user, thread_id)
        data = s.ReplyIn(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data["body"]
        quoted_id = data.validated_data.get("quote_post_id")
        if quoted_id:
            quoted = selectors.post_for_viewer(request.user, quoted_id)
            if quoted.thread_id != thread.pk:
                raise ValidationError(
                    {"quote_post_id": [_("You can only quote a post of this thread.")]}
                )
            body = f"{services.quote_markdown(quoted)}\n\n{body}"

        def create():
            return services.post_reply(thread=thread, author=request.user, body=body)

        post, replayed = _create_once(request, dict(data.validated_data), create)
        return _created(s.PostOut(post).data, replayed)
