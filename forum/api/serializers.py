"""Input serializers type and parse what a call sends; output serializers render.

No rule lives here: the services validate (and raise field errors), forum.permissions
decides who may see and do what.
"""

from rest_framework import serializers

from accounts.models import Device, FirmwareChannel
from forum.models import Board, Post, Section, Thread, ThreadType


class DeviceOut(serializers.ModelSerializer):
    class Meta:
        model = Device
        fields = ["codename", "brand", "model"]


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


class ThreadOut(serializers.ModelSerializer):
    board = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    device = serializers.SlugRelatedField(slug_field="codename", read_only=True, allow_null=True)

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
            "bug_status",
            "fixed_in_version",
            "slow_mode_seconds",
            "last_floor",
            "reply_count",
            "view_count",
            "created_at",
            "last_posted_at",
            "last_poster_name",
        ]


class PostOut(serializers.ModelSerializer):
    class Meta:
        model = Post
        fields = [
            "id",
            "thread_id",
            "floor",
            "author_id",
            "author_name",
            "source",
            "html",
            "is_hidden",
            "is_pending",
            "is_helpful",
            "like_count",
            "edit_count",
            "edited_at",
            "created_at",
        ]


class ThreadCreateIn(serializers.Serializer):
    title = serializers.CharField(trim_whitespace=True)
    body = serializers.CharField()
    thread_type = serializers.ChoiceField(choices=ThreadType.choices, default=ThreadType.DISCUSSION)
    device = serializers.SlugRelatedField(
        slug_field="codename", queryset=Device.objects.all(), required=False, allow_null=True
    )
    firmware_version = serializers.CharField(required=False, allow_blank=True, default="")


class ReplyIn(serializers.Serializer):
    body = serializers.CharField()
    quote_post_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="A post of this thread to quote above the body.",
    )
