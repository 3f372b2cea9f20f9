"""Input and output of moderation's API operations; no rule lives here."""

from rest_framework import serializers

from moderation.models import ReportReason


class ReportIn(serializers.Serializer):
    reason = serializers.ChoiceField(choices=ReportReason.choices)
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="Details for the moderators; required when the reason is `other`.",
    )


class ReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    post_id = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=ReportReason.choices)
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
