"""The forum's API operations: load with the selectors (the pages' visibility rules),
decide with forum.permissions, write with the services, render with the serializers.

Refusals are the services' and permissions' own exceptions: config.api_errors turns
them into 403 (with the page's reason), 404, 400, 409 and 429. Lists are keyset
pages (config.api_pagination) whose query count does not grow with the rows.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions as drf_permissions
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.models import Device, FirmwareChannel
from config.api_pagination import RankedPagination
from config.api_schema import IDEMPOTENCY_KEY, api_doc
from config.api_views import (
    SEARCH_THROTTLES,
    ApiListView,
    ApiView,
    request_fingerprint,
)
from config.http import client_ip
from forum import permissions, search, selectors, services
from forum.api import serializers as s
from forum.attachments import download_response
from forum.forms import SearchForm
from forum.models import Board, PostLike, ThreadWatch
from forum.rendering import render_markdown

REPLAYED_HEADER = "Idempotent-Replayed"
MEMBERS = "Signed-in members."
READERS = "Anyone who may read the board (the page's rule: 403 for a board they cannot see)."
UPLOADS = [JSONParser, MultiPartParser, FormParser]
SIGNED_IN = [drf_permissions.IsAuthenticated]


def _create_once(request, payload: dict, create):
    """create() once per Idempotency-Key (if the call sent one); returns (post, replayed).

    The post is read back either way, so a first answer and a replay render the same
    stored rows (the author's counters as they are now).
    """
    key = request.headers.get(IDEMPOTENCY_KEY.name)
    if key is None:
        post, replayed = create(), False
    else:
        post, replayed = services.post_create_once(
            user=request.user,
            key=key,
            fingerprint=request_fingerprint(request, payload),
            create=create,
        )
    return selectors.post_with_thread(post.pk), replayed


def _created(data, replayed: bool) -> Response:
    response = Response(data, status=status.HTTP_201_CREATED)
    if replayed:
        response[REPLAYED_HEADER] = "true"
    return response


def _fingerprint_input(data: dict) -> dict:
    """The validated input as plain values: devices by codename, files by name and size."""
    plain = {}
    for key, value in data.items():
        if isinstance(value, Device):
            value = value.codename
        elif key == "attachments":
            value = [(f.name, f.size) for f in value]
        plain[key] = value
    return plain


def _board(request, slug: str) -> Board:
    board = get_object_or_404(selectors.boards_for_viewer(request.user), slug=slug)
    permissions.check_can_view_board(request.user, board)
    return board


def _readable_post(request, post_id: int):
    return selectors.post_for_viewer(request.user, post_id)


# boards ---------------------------------------------------------------------------------


class SectionList(ApiListView):
    serializer_class = s.SectionOut
    ordering = ("position", "id")

    def get_queryset(self):
        return selectors.sections_with_visible_boards(self.request.user)

    @api_doc(
        tag="boards",
        summary="Sections and the boards the caller may see, with counters",
        permission="Anyone; members-only, staff and programme boards to those who may read them.",
        responses={200: s.SectionOut(many=True)},
        errors=(400,),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class BoardDetail(ApiView):
    @api_doc(
        tag="boards",
        summary="One board, its moderators and what the caller may do there",
        permission=READERS,
        responses={200: s.BoardDetailOut},
        errors=(403, 404),
    )
    def get(self, request, board_slug):
        board = _board(request, board_slug)
        user = request.user
        signed_in = user.is_authenticated
        denied = permissions.start_thread_denied_reason(user, board)
        viewer = {
            "watching": bool(getattr(board, "viewer_watching", False)),
            "marked_read_at": getattr(board, "viewer_marked_at", None),
            "can_start_thread": signed_in and denied is None,
            "start_thread_denied_reason": denied,
            "can_moderate": permissions.can_moderate(user, board),
        }
        context = {
            "request": request,
            "viewer": viewer,
            "moderators": selectors.board_moderators(board),
        }
        return Response(s.BoardDetailOut(board, context=context).data)


class BoardThreadList(ApiListView):
    """GET a board's threads; POST starts one (tag threads)."""

    serializer_class = s.ThreadOut
    parser_classes = UPLOADS

    def get_permissions(self):
        if self.request.method == "POST":
            return [drf_permissions.IsAuthenticated()]
        return super().get_permissions()

    def get_queryset(self):
        query = self.query
        return selectors.board_threads(
            self.board,
            thread_type=query.get("type", ""),
            device=query.get("device", ""),
            firmware_version=query.get("firmware_version", ""),
            status=query.get("status", ""),
            with_hidden=permissions.can_moderate(self.request.user, self.board),
        )

    def paginate_queryset(self, queryset):
        rows = super().paginate_queryset(queryset)
        for thread in rows:
            thread.board = self.board  # rendered with its board's slug: no query per row
        user = self.request.user
        if user.is_authenticated:
            marked_at = selectors.viewer_board_marked_at(self.board, user)
            selectors.attach_unread(rows, user=user, board_marked_at=marked_at)
        return rows

    @api_doc(
        tag="boards",
        summary="A board's threads, with the page's filters and a sort",
        permission=READERS + " Moderators also get hidden threads.",
        parameters=[s.BoardThreadsQuery],
        responses={200: s.ThreadOut(many=True)},
        errors=(400, 403, 404),
        description=(
            "`sort=activity` is the page's order (pinned first, then last activity). "
            "Announcements are listed by GET /api/v1/announcements/."
        ),
    )
    def get(self, request, board_slug):
        self.board = _board(request, board_slug)
        query = s.BoardThreadsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        self.query = query.validated_data
        self.ordering = s.BoardThreadsQuery.SORTS[self.query["sort"]]
        return self.list(request)

    @api_doc(
        tag="threads",
        summary="Start a thread",
        permission=(
            "Members who may post in the board (verified email, not silenced or "
            "suspended; staff-only boards: staff); the posting limits apply."
        ),
        request={"application/json": s.ThreadCreateIn, "multipart/form-data": s.ThreadCreateIn},
        responses={201: s.ThreadOut},
        errors=(400, 404, 409),
        parameters=[IDEMPOTENCY_KEY],
        description=(
            "Device (a codename) and firmware version are checked as on the page; files "
            "go as multipart `attachments`. A thread held for approval comes back with "
            "`is_pending: true`."
        ),
    )
    def post(self, request, board_slug):
        board = _board(request, board_slug)
        data = s.ThreadCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)

        poll = fields.pop("poll", None)
        spec = services.poll_clean(**poll) if poll else None

        def create():
            ip = client_ip(request)
            if spec:
                thread = services.thread_create_with_poll(
                    board=board, author=request.user, poll=spec, ip=ip, **fields
                )
            else:
                thread = services.thread_create(board=board, author=request.user, ip=ip, **fields)
            return thread.posts.get(floor=1)

        payload = _fingerprint_input(fields) | ({"poll": poll} if poll else {})
        opening, replayed = _create_once(request, payload, create)
        return _created(s.ThreadOut(opening.thread, context={"request": request}).data, replayed)


class BoardWatch(ApiView):
    permission_classes = SIGNED_IN

    @api_doc(
        tag="boards",
        summary="Watch a board (notified of its new threads)",
        permission=MEMBERS + " " + READERS,
        request=None,
        responses={200: s.WatchStateOut},
        errors=(404,),
    )
    def post(self, request, board_slug):
        board = _board(request, board_slug)
        services.board_watch(user=request.user, board=board)
        return Response({"watching": True})

    @api_doc(
        tag="boards",
        summary="Stop watching a board",
        permission=MEMBERS,
        responses={200: s.WatchStateOut},
        errors=(404,),
    )
    def delete(self, request, board_slug):
        board = get_object_or_404(Board, slug=board_slug)
        services.board_unwatch(user=request.user, board=board)
        return Response({"watching": False})


class BoardRead(ApiView):
    permission_classes = SIGNED_IN

    @api_doc(
        tag="boards",
        summary="Mark every thread of a board read",
        permission=MEMBERS + " " + READERS,
        request=None,
        responses={200: s.BoardReadOut},
        errors=(404,),
    )
    def post(self, request, board_slug):
        board = _board(request, board_slug)
        services.board_mark_read(user=request.user, board=board)
        marked_at = selectors.viewer_board_marked_at(board, request.user, fresh=True)
        return Response({"marked_read_at": marked_at})


class AnnouncementList(ApiListView):
    serializer_class = s.ThreadOut
    ordering = ("-last_posted_at", "-id")

    def get_queryset(self):
        return selectors.announcements_for(self.request.user)

    @api_doc(
        tag="boards",
        summary="Announcements: threads pinned site-wide",
        permission="Anyone; from the boards the caller may read.",
        responses={200: s.ThreadOut(many=True)},
        errors=(400,),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DeviceList(ApiListView):
    serializer_class = s.DeviceOut
    ordering = ("position", "id")

    def get_queryset(self):
        return Device.objects.all()

    @api_doc(
        tag="boards",
        summary="Devices: the phone models threads are tagged with",
        permission="Anyone.",
        responses={200: s.DeviceOut(many=True)},
        errors=(400,),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class FirmwareChannelList(ApiView):
    @api_doc(
        tag="boards",
        summary="Firmware channels (stable, beta, developer)",
        permission="Anyone.",
        responses={200: s.ChannelListOut},
        description="A fixed set, so not paginated.",
    )
    def get(self, request):
        channels = [{"key": key, "name": str(name)} for key, name in FirmwareChannel.choices]
        return Response({"results": channels})


# threads --------------------------------------------------------------------------------


class LatestThreadList(ApiListView):
    serializer_class = s.ThreadOut
    ordering = ("-last_posted_at", "-id")

    def get_queryset(self):
        return selectors.visible_threads(self.request.user).select_related("device")

    @api_doc(
        tag="threads",
        summary="The latest threads of every board the caller may read",
        permission="Anyone.",
        responses={200: s.ThreadOut(many=True)},
        errors=(400,),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class HotThreadList(ApiListView):
    serializer_class = s.ThreadOut
    pagination_class = RankedPagination

    def get_queryset(self):
        return selectors.hot_threads(
            self.request.user, board=self.board, period=self.period
        ).select_related("device")

    @api_doc(
        tag="threads",
        summary="Hot threads, or the top threads of a day, week or month",
        permission=READERS,
        parameters=[s.HotThreadsQuery],
        responses={200: s.ThreadOut(many=True)},
        errors=(400, 403, 404),
        description=(
            "As on the 热门 page: the hot score is recomputed every few minutes "
            "(POPCORN['HOT']); site-wide, or one board's with `board`."
        ),
    )
    def get(self, request):
        query = s.HotThreadsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        period = query.validated_data["period"]
        self.period = "" if period == "hot" else period
        slug = query.validated_data.get("board")
        self.board = _board(request, slug) if slug else None
        return self.list(request)


class ThreadNewReplies(ApiView):
    @api_doc(
        tag="threads",
        summary="How many floors a thread has after the one the caller has (a cheap poll)",
        permission=READERS + " 404 for a thread the caller may not read.",
        parameters=[s.NewRepliesQuery],
        responses={200: s.NewRepliesOut},
        errors=(400, 404),
        description="Answered from the cache for public threads: poll it instead of the thread.",
    )
    def get(self, request, thread_id):
        query = s.NewRepliesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        last_floor = selectors.thread_last_floor(request.user, thread_id)
        if last_floor is None:
            raise Http404
        after = query.validated_data["after"]
        counts = {"last_floor": last_floor, "new_count": max(0, last_floor - after)}
        return Response(s.NewRepliesOut(counts).data)


class ThreadDetail(ApiView):
    @api_doc(
        tag="threads",
        summary="One thread, and what the caller may do in it",
        permission=(
            READERS + " Hidden threads: moderators only; threads awaiting approval: "
            "their author and moderators (404 otherwise)."
        ),
        responses={200: s.ThreadDetailOut},
        errors=(403, 404),
        description=(
            "Counts a view, as opening the page does. A moved thread has `moved_to_id`: "
            "read that one instead."
        ),
    )
    def get(self, request, thread_id):
        user = request.user
        thread = selectors.thread_for_viewer(user, thread_id, selectors.threads_for_viewer(user))
        services.thread_record_view(thread_id=thread.pk)
        return Response(self.render(request, thread))

    @staticmethod
    def render(request, thread) -> dict:
        user = request.user
        opening = thread.posts.filter(floor=1).first()
        if opening is not None:
            opening.thread = thread  # the permission checks read it: no second query
        reply_denied = permissions.reply_denied_reason(user, thread)
        edit_denied = (
            permissions.edit_denied_reason(user, opening)
            if opening is not None
            else _("This thread has moved.")
        )
        watching = getattr(thread, "viewer_watching", None)
        if watching is None:
            watching = (
                user.is_authenticated
                and ThreadWatch.objects.filter(thread=thread, user=user).exists()
            )
        viewer = {
            "watching": watching,
            "first_unread_floor": selectors.first_unread_floor(user, thread),
            "can_reply": reply_denied is None,
            "reply_denied_reason": reply_denied,
            "can_edit": edit_denied is None,
            "edit_denied_reason": edit_denied,
            "can_moderate": permissions.can_moderate(user, thread.board),
        }
        return s.ThreadDetailOut(thread, context={"request": request, "viewer": viewer}).data

    @api_doc(
        tag="threads",
        summary="Edit a thread's title, type, device or firmware version",
        permission=(
            "The author within the edit window (POST_EDIT_WINDOW_SECONDS) and not when "
            "locked; the board's moderators any time. The page's rule for editing its "
            "opening post."
        ),
        request=s.ThreadEditIn,
        responses={200: s.ThreadDetailOut},
        errors=(400, 404),
    )
    def patch(self, request, thread_id):
        thread = selectors.thread_for_viewer(request.user, thread_id)
        data = s.ThreadEditIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.thread_edit(thread=thread, editor=request.user, **data.validated_data)
        thread = selectors.thread_for_viewer(
            request.user, thread_id, selectors.threads_for_viewer(request.user)
        )
        return Response(self.render(request, thread))


class ThreadWatchView(ApiView):
    permission_classes = SIGNED_IN

    @api_doc(
        tag="threads",
        summary="Watch a thread (notified of its replies)",
        permission=MEMBERS + " " + READERS,
        request=None,
        responses={200: s.WatchStateOut},
        errors=(404,),
    )
    def post(self, request, thread_id):
        thread = selectors.thread_for_viewer(request.user, thread_id)
        services.thread_watch(user=request.user, thread=thread)
        return Response({"watching": True})

    @api_doc(
        tag="threads",
        summary="Stop watching a thread",
        permission=MEMBERS + " " + READERS,
        responses={200: s.WatchStateOut},
        errors=(404,),
    )
    def delete(self, request, thread_id):
        thread = selectors.thread_for_viewer(request.user, thread_id)
        services.thread_unwatch(user=request.user, thread=thread)
        return Response({"watching": False})


class ThreadRead(ApiView):
    permission_classes = SIGNED_IN

    @api_doc(
        tag="threads",
        summary="Mark a thread read up to a floor",
        permission=MEMBERS + " " + READERS,
        request=s.ReadIn,
        responses={200: s.ReadStateOut},
        errors=(400, 404),
        description="The read position never moves back: an earlier floor keeps the later one.",
    )
    def post(self, request, thread_id):
        thread = selectors.thread_for_viewer(request.user, thread_id)
        data = s.ReadIn(data=request.data)
        data.is_valid(raise_exception=True)
        floor = min(data.validated_data["floor"], thread.last_floor)
        services.thread_mark_read(user=request.user, thread=thread, floor=floor)
        return Response({"last_read_floor": selectors.thread_read_floor(request.user, thread)})


class ThreadFirstUnread(ApiView):
    @api_doc(
        tag="threads",
        summary="The first floor the caller has not read",
        permission=READERS + " Anonymous callers get floor 1.",
        responses={200: s.FloorOut},
        errors=(403, 404),
    )
    def get(self, request, thread_id):
        thread = selectors.thread_for_viewer(request.user, thread_id)
        return Response({"floor": selectors.first_unread_floor(request.user, thread)})


# posts ----------------------------------------------------------------------------------


class ThreadPostList(ApiListView):
    """GET a thread's posts by floor; POST replies."""

    serializer_class = s.PostOut
    ordering = ("floor",)
    parser_classes = UPLOADS

    def get_permissions(self):
        if self.request.method == "POST":
            return [drf_permissions.IsAuthenticated()]
        return super().get_permissions()

    def get_queryset(self):
        return selectors.thread_posts(
            self.thread,
            first_floor=self.query.get("from_floor"),
            last_floor=self.query.get("to_floor"),
        )

    def paginate_queryset(self, queryset):
        rows = super().paginate_queryset(queryset)
        for post in rows:
            post.thread = self.thread
        selectors.mark_liked_by(self.request.user, rows)
        return rows

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["moderating"] = permissions.can_moderate(self.request.user, self.thread.board)
        return context

    @api_doc(
        tag="posts",
        summary="A thread's posts, by floor",
        permission=READERS,
        parameters=[s.ThreadPostsQuery],
        responses={200: s.PostOut(many=True)},
        errors=(400, 403, 404),
        description=(
            "From `from_floor` to `to_floor` (both optional), floor by floor. Hidden posts "
            "keep their floor, without text unless the caller moderates the board; replies "
            "awaiting approval have no floor yet and are not listed."
        ),
    )
    def get(self, request, thread_id):
        self.thread = selectors.thread_for_viewer(request.user, thread_id)
        query = s.ThreadPostsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        self.query = query.validated_data
        return self.list(request)

    @api_doc(
        tag="posts",
        summary="Reply to a thread",
        permission=(
            "Members who may reply (verified email, not silenced or suspended; the thread "
            "open, or the caller its moderator); the posting limits and slow mode apply."
        ),
        request={"application/json": s.ReplyIn, "multipart/form-data": s.ReplyIn},
        responses={201: s.PostOut},
        errors=(400, 404, 409),
        parameters=[IDEMPOTENCY_KEY],
        description=(
            "`quote_post_id` puts a quote of that post (of this thread) above the body; "
            "files go as multipart `attachments`. A reply held for approval has "
            "`floor: null` and `is_pending: true`."
        ),
    )
    def post(self, request, thread_id):
        thread = selectors.thread_for_viewer(request.user, thread_id)
        data = s.ReplyIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        body = fields["body"]
        quoted_id = fields.get("quote_post_id")
        if quoted_id:
            quoted = _readable_post(request, quoted_id)
            if quoted.thread_id != thread.pk or quoted.is_hidden or quoted.floor is None:
                raise ValidationError(
                    {"quote_post_id": [_("You can only quote a post of this thread.")]}
                )
            body = f"{services.quote_markdown(quoted)}{body}"

        def create():
            return services.post_reply(
                thread=thread,
                author=request.user,
                body=body,
                attachments=fields.get("attachments", ()),
                ip=client_ip(request),
            )

        post, replayed = _create_once(request, _fingerprint_input(fields), create)
        context = {"request": request}
        return _created(s.PostOut(post, context=context).data, replayed)


class PostDetail(ApiView):
    def _render(self, request, post):
        selectors.mark_liked_by(request.user, [post])
        context = {
            "request": request,
            "moderating": permissions.can_moderate(request.user, post.thread.board),
        }
        return s.PostOut(post, context=context).data

    @api_doc(
        tag="posts",
        summary="One post",
        permission=(
            READERS + " Hidden posts: staff; posts awaiting approval: their author and "
            "moderators (404 otherwise)."
        ),
        responses={200: s.PostOut},
        errors=(403, 404),
    )
    def get(self, request, post_id):
        return Response(self._render(request, _readable_post(request, post_id)))

    @api_doc(
        tag="posts",
        summary="Edit a post (its earlier text is kept as a revision)",
        permission=(
            "The author within the edit window (POST_EDIT_WINDOW_SECONDS) and not when "
            "locked; the board's moderators any time."
        ),
        request=s.PostEditIn,
        responses={200: s.PostOut},
        errors=(400, 404),
        description="`title` retitles the thread when the post is its opening post.",
    )
    def patch(self, request, post_id):
        post = _readable_post(request, post_id)
        data = s.PostEditIn(data=request.data)
        data.is_valid(raise_exception=True)
        post = services.post_edit(post=post, editor=request.user, **data.validated_data)
        return Response(self._render(request, post))


class PostRevisionList(ApiListView):
    serializer_class = s.RevisionOut
    ordering = ("-created_at", "-id")

    def get_queryset(self):
        return selectors.post_revisions_queryset(self.post)

    def paginate_queryset(self, queryset):
        rows = super().paginate_queryset(queryset)
        for revision in rows:
            # Old text is rendered now, by today's sanitizer, never stored as HTML.
            revision.old_html = render_markdown(revision.old_source)
        return rows

    @api_doc(
        tag="posts",
        summary="A post's earlier versions, newest first",
        permission="The post's author and the board's moderators (403 for others).",
        responses={200: s.RevisionOut(many=True)},
        errors=(400, 403, 404),
    )
    def get(self, request, post_id):
        self.post = _readable_post(request, post_id)
        if not permissions.can_view_revisions(request.user, self.post):
            raise PermissionDenied(_("Only the author and moderators see earlier versions."))
        return self.list(request)


class PostLikeView(ApiView):
    permission_classes = SIGNED_IN

    def _state(self, request, post) -> Response:
        post.refresh_from_db(fields=["like_count"])
        liked = PostLike.objects.filter(post=post, user=request.user).exists()
        return Response({"liked": liked, "like_count": post.like_count})

    @api_doc(
        tag="posts",
        summary="Like a post",
        permission=(
            "Members who are not suspended, on a post they may read that is not theirs, "
            "hidden or awaiting approval. Liking twice keeps one like."
        ),
        request=None,
        responses={200: s.LikeStateOut},
        errors=(404,),
    )
    def post(self, request, post_id):
        post = _readable_post(request, post_id)
        services.post_like(post=post, user=request.user)
        return self._state(request, post)

    @api_doc(
        tag="posts",
        summary="Take a like back",
        permission="Members who are not suspended.",
        responses={200: s.LikeStateOut},
        errors=(404,),
    )
    def delete(self, request, post_id):
        post = _readable_post(request, post_id)
        services.post_unlike(post=post, user=request.user)
        return self._state(request, post)


class PostLikerList(ApiListView):
    serializer_class = s.LikerOut
    ordering = ("-created_at", "-id")

    def get_queryset(self):
        return selectors.post_likers(self.post)

    @api_doc(
        tag="posts",
        summary="Who liked a post, newest first",
        permission=READERS,
        responses={200: s.LikerOut(many=True)},
        errors=(400, 403, 404),
    )
    def get(self, request, post_id):
        self.post = _readable_post(request, post_id)
        return self.list(request)


class AttachmentDownload(ApiView):
    @api_doc(
        tag="posts",
        summary="Download an attached file",
        permission=READERS + " The post's own rule (hidden: staff; pending: author, moderators).",
        responses={
            **{
                (200, media_type): OpenApiResponse(
                    OpenApiTypes.BINARY, description="A log file, as a download."
                )
                for media_type in ("text/plain", "application/zip", "application/octet-stream")
            },
            302: OpenApiResponse(description="An image: redirected to the stored file."),
        },
        errors=(403, 404),
    )
    def get(self, request, attachment_id):
        return download_response(selectors.attachment_for_viewer(request.user, attachment_id))


# search ---------------------------------------------------------------------------------


class Search(ApiListView):
    serializer_class = s.SearchResultOut
    pagination_class = RankedPagination
    throttle_classes = SEARCH_THROTTLES

    def get_queryset(self):
        return selectors.search_posts_queryset(self.request.user, self.query, self.filters)

    def paginate_queryset(self, queryset):
        rows = super().paginate_queryset(queryset)
        for post in rows:
            post.title_html = search.highlight(post.thread.title, self.query)
            post.snippet = search.snippet(post.source, self.query)
        return rows

    @api_doc(
        tag="search",
        summary="Search posts: the page's Chinese and English search, with highlights",
        permission="Anyone; only posts the caller may read. Throttled per member and address.",
        parameters=[s.SearchQuery],
        responses={200: s.SearchResultOut(many=True)},
        errors=(400, 429),
        description=(
            "Simplified and Traditional characters match each other; the best matches "
            "first, among the newest that match (as on the page)."
        ),
    )
    def get(self, request):
        user = request.user
        boards = list(
            Board.objects.visible_to(user).order_by("position", "id").values_list("slug", "name")
        )
        devices = [(d.codename, str(d)) for d in Device.objects.all()]
        form = SearchForm(request.query_params, boards=boards, devices=devices)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        data = form.cleaned_data
        self.query = search.parse_query(data["q"][: settings.POPCORN["SEARCH_MAX_QUERY_LENGTH"]])
        if not self.query:
            raise ValidationError(
                {"q": [_("Type a word to search for; punctuation and symbols are ignored.")]}
            )
        self.filters = selectors.SearchFilters(
            board=data["board"],
            device=data["device"],
            thread_type=data["type"],
            author=data["author"],
            after=data["after"],
            before=data["before"],
        )
        return self.list(request)
