"""Input serializers type and parse what a call sends; output serializers render.

No rule lives here: the services validate (and raise field errors), forum.permissions
decides who may see and do what; a view passes what it decided in the context
(`moderating`: the viewer moderates this board, so hidden posts show their text).
"""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Device, FirmwareChannel
from config import regions
from forum.api.polls import PollIn
from forum.models import Attachment, Board, Post, Section, Thread, ThreadType
from forum.selectors.triage import STATUS_FILTERS

# Out ------------------------------------------------------------------------------------


class DeviceOut(serializers.ModelSerializer):
    class Meta:
        model = Device
        fields = ["codename", "brand", "model"]


class ChannelOut(serializers.Serializer):
    key = serializers.ChoiceField(choices=FirmwareChannel.choices)
    name = serializers.CharField()


class ChannelListOut(serializers.Serializer):
    results = ChannelOut(many=True)


class ShownMedalOut(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    icon = serializers.CharField()
    image_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_image_url(self, medal) -> str | None:
        if not medal.image:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(medal.image.url) if request else medal.image.url


class AuthorOut(serializers.Serializer):
    """A post's author as the page shows them (None once the account is deleted)."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    shown_name = serializers.CharField()
    avatar_url = serializers.SerializerMethodField()
    level = serializers.CharField(source="level.key")
    level_name = serializers.CharField(source="level.name")
    post_count = serializers.IntegerField()
    shown_medals = serializers.SerializerMethodField()

    @extend_schema_field(ShownMedalOut(many=True, allow_null=True))
    def get_shown_medals(self, user):
        """The (up to three) medals the author shows, in their order, where the answer loaded
        them (a thread's posts: one query for the page); null elsewhere."""
        held = getattr(user, "shown_medals", None)
        if held is None:
            return None
        return ShownMedalOut([m.medal for m in held], many=True, context=self.context).data

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_avatar_url(self, user) -> str | None:
        if not user.avatar:
            return None
        request = self.context.get("request")
        url = user.avatar.url
        return request.build_absolute_uri(url) if request else url


class MemberRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    shown_name = serializers.CharField()


class BoardOut(serializers.ModelSerializer):
    device = serializers.SlugRelatedField(slug_field="codename", read_only=True, allow_null=True)
    channel = serializers.ChoiceField(choices=[("", ""), *FirmwareChannel.choices])

    class Meta:
        model = Board
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "visibility",
            "posting",
            "device",
            "channel",
            "thread_count",
            "post_count",
            "last_thread_id",
            "last_thread_title",
            "last_poster_name",
            "last_posted_at",
        ]


class SectionOut(serializers.ModelSerializer):
    boards = BoardOut(many=True, source="visible_boards")

    class Meta:
        model = Section
        fields = ["id", "slug", "name", "description", "boards"]


class BoardViewerOut(serializers.Serializer):
    """What the caller may do here, with the page's reasons when not."""

    watching = serializers.BooleanField()
    marked_read_at = serializers.DateTimeField(allow_null=True)
    can_start_thread = serializers.BooleanField()
    start_thread_denied_reason = serializers.CharField(allow_null=True)
    can_moderate = serializers.BooleanField()


class BoardDetailOut(BoardOut):
    section = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    moderators = serializers.SerializerMethodField()
    viewer = serializers.SerializerMethodField()

    class Meta(BoardOut.Meta):
        fields = [*BoardOut.Meta.fields, "section", "moderators", "viewer"]

    @extend_schema_field(MemberRefOut(many=True))
    def get_moderators(self, board):
        return MemberRefOut(self.context["moderators"], many=True).data

    @extend_schema_field(BoardViewerOut)
    def get_viewer(self, board):
        return BoardViewerOut(self.context["viewer"]).data


class ThreadOut(serializers.ModelSerializer):
    board = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    device = serializers.SlugRelatedField(slug_field="codename", read_only=True, allow_null=True)
    unread_count = serializers.SerializerMethodField()
    is_unread = serializers.SerializerMethodField()

    class Meta:
        model = Thread
        fields = [
            "id",
            "board",
            "title",
            "thread_type",
            "author_id",
            "author_name",
            "device",
            "firmware_version",
            "is_pinned",
            "is_announcement",
            "is_locked",
            "is_featured",
            "is_hidden",
            "is_pending",
            "moved_to_id",
            "bug_status",
            "fixed_in_version",
            "fixed_in_release_id",
            "feedback_status",
            "status_reason",
            "duplicate_of_id",
            "vote_count",
            "slow_mode_seconds",
            "last_floor",
            "reply_count",
            "view_count",
            "created_at",
            "last_posted_at",
            "last_poster_name",
            "unread_count",
            "is_unread",
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_unread_count(self, thread) -> int | None:
        """New posts since the caller read it; null if never opened (or anonymous)."""
        return getattr(thread, "unread_count", None)

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_is_unread(self, thread) -> bool | None:
        """Null for anonymous callers, who have no read state."""
        return getattr(thread, "is_unread", None)


class ThreadViewerOut(serializers.Serializer):
    watching = serializers.BooleanField()
    first_unread_floor = serializers.IntegerField()
    can_reply = serializers.BooleanField()
    reply_denied_reason = serializers.CharField(allow_null=True)
    can_edit = serializers.BooleanField()
    edit_denied_reason = serializers.CharField(allow_null=True)
    can_moderate = serializers.BooleanField()


class ThreadDetailOut(ThreadOut):
    viewer = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta(ThreadOut.Meta):
        fields = [*ThreadOut.Meta.fields, "url", "viewer"]

    @extend_schema_field(ThreadViewerOut)
    def get_viewer(self, thread):
        return ThreadViewerOut(self.context["viewer"]).data

    @extend_schema_field(serializers.URLField())
    def get_url(self, thread) -> str:
        """The thread's page on the site."""
        return self.context["request"].build_absolute_uri(thread.get_absolute_url())


class AttachmentOut(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "kind", "original_name", "content_type", "size", "width", "height", "url"]

    @extend_schema_field(serializers.URLField())
    def get_url(self, attachment) -> str:
        """GET it with the same credentials (images redirect to the stored file)."""
        path = f"/api/v1/attachments/{attachment.pk}/"
        request = self.context.get("request")
        # Always absolute, as the schema says; SITE_URL when no request is at hand.
        return request.build_absolute_uri(path) if request else f"{settings.SITE_URL}{path}"


class PostOut(serializers.ModelSerializer):
    """A post; a hidden one keeps its floor but not its text, unless the caller moderates."""

    author = serializers.SerializerMethodField()
    source = serializers.SerializerMethodField()
    html = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    liked = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "thread_id",
            "floor",
            "author_id",
            "author_name",
            "author",
            "source",
            "html",
            "attachments",
            "is_hidden",
            "is_pending",
            "is_helpful",
            "like_count",
            "liked",
            "edit_count",
            "edited_at",
            "created_at",
            "region",
        ]

    def _shown(self, post) -> bool:
        return not post.is_hidden or self.context.get("moderating", False)

    @extend_schema_field(AuthorOut(allow_null=True))
    def get_author(self, post):
        if post.author_id is None:
            return None
        return AuthorOut(post.author, context=self.context).data

    @extend_schema_field(OpenApiTypes.STR)
    def get_source(self, post) -> str:
        """The Markdown as written ("" when hidden from the caller)."""
        return post.source if self._shown(post) else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_html(self, post) -> str:
        """Sanitized HTML to show ("" when hidden from the caller)."""
        return post.html if self._shown(post) else ""

    @extend_schema_field(AttachmentOut(many=True))
    def get_attachments(self, post):
        if not self._shown(post):
            return []
        prefetched = getattr(post, "_prefetched_objects_cache", {}).get("attachments")
        files = prefetched if prefetched is not None else post.attachments.order_by("pk")
        return AttachmentOut(files, many=True, context=self.context).data

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_liked(self, post) -> bool | None:
        """Whether the caller likes it; null for anonymous callers."""
        return getattr(post, "liked_by_viewer", None)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_region(self, post) -> str | None:
        """Where it was written from (IP属地: a province of China, else a country), in
        the caller's language; null unless the site shows IP locations, or unknown, or
        the post is hidden from the caller (as its text is)."""
        if not self._shown(post):
            return None
        return regions.shown(post.region) or None


class RevisionOut(serializers.Serializer):
    id = serializers.IntegerField()
    editor_name = serializers.CharField()
    old_source = serializers.CharField()
    old_html = serializers.CharField(help_text="The old text, rendered by today's sanitizer.")
    created_at = serializers.DateTimeField()


class LikerOut(serializers.Serializer):
    member = MemberRefOut(source="user")
    created_at = serializers.DateTimeField()


class LikeStateOut(serializers.Serializer):
    liked = serializers.BooleanField()
    like_count = serializers.IntegerField()


class WatchStateOut(serializers.Serializer):
    watching = serializers.BooleanField()


class ReadStateOut(serializers.Serializer):
    last_read_floor = serializers.IntegerField()


class BoardReadOut(serializers.Serializer):
    marked_read_at = serializers.DateTimeField()


class FloorOut(serializers.Serializer):
    floor = serializers.IntegerField()


class SearchResultOut(serializers.Serializer):
    post_id = serializers.IntegerField(source="pk")
    floor = serializers.IntegerField()
    thread_id = serializers.IntegerField()
    thread_title = serializers.CharField(source="thread.title")
    title_html = serializers.CharField(help_text="The title with <mark> around matches.")
    snippet_html = serializers.CharField(
        source="snippet", help_text="An excerpt with <mark> around matches."
    )
    board = serializers.CharField(source="thread.board.slug")
    device = serializers.CharField(source="thread.device.codename", allow_null=True)
    author_name = serializers.CharField()
    created_at = serializers.DateTimeField()


# In -------------------------------------------------------------------------------------


class UploadsField(serializers.ListField):
    """Files in multipart/form-data, checked by forum.attachments as on the page."""

    child = serializers.FileField()

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_empty", True)
        kwargs.setdefault("help_text", "Images (PNG, JPEG, WebP, GIF) or logs (.txt, .log, .zip).")
        super().__init__(**kwargs)


class ThreadCreateIn(serializers.Serializer):
    title = serializers.CharField(max_length=1000)
    body = serializers.CharField(max_length=100_000)
    thread_type = serializers.ChoiceField(choices=ThreadType.choices, default=ThreadType.DISCUSSION)
    device = serializers.SlugRelatedField(
        slug_field="codename", queryset=Device.objects.all(), required=False, allow_null=True
    )
    firmware_version = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100
    )
    attachments = UploadsField()
    poll = PollIn(
        required=False,
        help_text="A poll started with the thread, in the same transaction (JSON bodies only).",
    )


class ThreadEditIn(serializers.Serializer):
    """Only what is sent changes; `device: null` clears the device."""

    title = serializers.CharField(required=False, max_length=1000)
    thread_type = serializers.ChoiceField(choices=ThreadType.choices, required=False)
    device = serializers.SlugRelatedField(
        slug_field="codename", queryset=Device.objects.all(), required=False, allow_null=True
    )
    firmware_version = serializers.CharField(required=False, allow_blank=True, max_length=100)


class ReplyIn(serializers.Serializer):
    body = serializers.CharField(max_length=100_000)
    quote_post_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text="A post of this thread to quote above the body.",
    )
    attachments = UploadsField()


class PostEditIn(serializers.Serializer):
    body = serializers.CharField(max_length=100_000)
    title = serializers.CharField(
        required=False, max_length=1000, help_text="The opening post (floor 1) only."
    )


class ReadIn(serializers.Serializer):
    floor = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class NewRepliesQuery(serializers.Serializer):
    after = serializers.IntegerField(min_value=0, help_text="The last floor the caller has.")


class NewRepliesOut(serializers.Serializer):
    last_floor = serializers.IntegerField(min_value=0)
    new_count = serializers.IntegerField(min_value=0, help_text="Floors after `after`.")


class HotThreadsQuery(serializers.Serializer):
    period = serializers.ChoiceField(
        choices=["hot", "day", "week", "month"],
        default="hot",
        help_text="`hot`: by the decayed hot score; `day`/`week`/`month`: threads started "
        "in that period, by likes + replies.",
    )
    board = serializers.SlugField(required=False, help_text="Only this board's threads.")


class BoardThreadsQuery(serializers.Serializer):
    SORTS = {
        # The board page's order: pinned first, then by last activity.
        "activity": ("-is_pinned", "-last_posted_at", "-id"),
        "newest": ("-created_at", "-id"),
        "replies": ("-reply_count", "-id"),
        # Most "me too" (bug reports) and votes (feedback) first.
        "votes": ("-vote_count", "-id"),
    }

    type = serializers.ChoiceField(choices=ThreadType.choices, required=False)
    device = serializers.CharField(required=False, max_length=40, help_text="A device codename.")
    firmware_version = serializers.CharField(required=False, max_length=40)
    status = serializers.ChoiceField(
        choices=list(STATUS_FILTERS),
        required=False,
        help_text="A bug or feedback status: `bug-open`, `bug-confirmed`, `feedback-adopted`…",
    )
    sort = serializers.ChoiceField(choices=list(SORTS), default="activity")


class ThreadPostsQuery(serializers.Serializer):
    from_floor = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    to_floor = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class SearchQuery(serializers.Serializer):
    q = serializers.CharField(help_text="Words in Chinese or English; both scripts match.")
    board = serializers.SlugField(required=False, max_length=100)
    device = serializers.SlugField(required=False, max_length=40)
    type = serializers.ChoiceField(choices=ThreadType.choices, required=False)
    author = serializers.CharField(required=False, max_length=150)
    after = serializers.DateField(required=False, help_text="From this day (site time zone).")
    before = serializers.DateField(required=False, help_text="To this day, inclusive.")


# Triage ----------------------------------------------------------------------------------


class VoteIn(serializers.Serializer):
    device = serializers.SlugRelatedField(
        slug_field="codename",
        queryset=Device.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The device you hit it on (a codename).",
    )
    firmware_version = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=40
    )


class VoteStateOut(serializers.Serializer):
    voted = serializers.BooleanField(help_text="Whether the caller said “me too” / voted.")
    vote_count = serializers.IntegerField()


class SimilarQuery(serializers.Serializer):
    title = serializers.CharField(max_length=200, help_text="The title being typed.")


class SimilarThreadOut(serializers.ModelSerializer):
    board = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Thread
        fields = [
            "id",
            "board",
            "title",
            "thread_type",
            "bug_status",
            "feedback_status",
            "vote_count",
        ]


class TriageDeviceOut(serializers.ModelSerializer):
    hits = serializers.IntegerField(help_text="“Me too” on open bugs from this device.")

    class Meta:
        model = Device
        fields = ["codename", "brand", "model", "hits"]


class TriageVersionOut(serializers.Serializer):
    firmware_version = serializers.CharField()
    hits = serializers.IntegerField(help_text="“Me too” on open bugs on this version.")
    bugs = serializers.IntegerField(help_text="Open bugs hit on this version.")


class TriageBugOut(SimilarThreadOut):
    hits = serializers.IntegerField(help_text="“Me too” on this device (and version).")

    class Meta(SimilarThreadOut.Meta):
        fields = [*SimilarThreadOut.Meta.fields, "hits", "created_at"]


class TriageQuery(serializers.Serializer):
    firmware_version = serializers.CharField(required=False, max_length=40)


class TriageOut(serializers.Serializer):
    device = DeviceOut()
    versions = TriageVersionOut(many=True)
    bugs = TriageBugOut(many=True)
