"""Input serializers type and parse what a call sends; output serializers render.

No rule lives here: accounts' services validate (and raise field errors) and
accounts.permissions decides who may see and do what. What is worded for the reader
(notifications, ledger lines, level names, state labels) is worded in the language
active for the request: the member's setting, else Accept-Language.
"""

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts import levels, permissions, selectors
from accounts.images import clean_avatar
from accounts.models import (
    ApplicationState,
    Delivery,
    Device,
    InvitationCode,
    InvitationRedemption,
    MembershipState,
    Notification,
    NotificationKind,
    Program,
    ProgramApplication,
    ProgramMembership,
    ProgramScoreEntry,
    ProgramWeek,
    ReputationEntry,
    ReputationReason,
    ScoreReason,
    User,
)
from config import regions
from config.site import site_url

INT_MAX = 2**31 - 1  # what an integer column holds: larger input is bad input, not a 500


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


# Levels and devices -------------------------------------------------------------------


class LevelOut(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField(help_text="In the caller's language.")
    threshold = serializers.IntegerField(help_text="The reputation from which this level holds.")
    rank = serializers.IntegerField(help_text="0 for the lowest level.")


class LevelsOut(serializers.Serializer):
    levels = LevelOut(many=True, help_text="Lowest first.")


class MemberDeviceOut(serializers.ModelSerializer):
    class Meta:
        model = Device
        fields = ["codename", "brand", "model"]


class DeviceCodenamesField(serializers.ListField):
    """Devices of the catalogue by codename, read in one query; an unknown one is bad input."""

    child = serializers.SlugField(max_length=_max_length(Device, "codename"))

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> list[Device]:
        codenames = set(super().to_internal_value(data))
        found = list(Device.objects.filter(codename__in=codenames))
        unknown = sorted(codenames - {device.codename for device in found})
        if unknown:
            raise serializers.ValidationError(
                _("No such device: %(codenames)s.") % {"codenames": ", ".join(unknown)}
            )
        return found


# Members ------------------------------------------------------------------------------


class MemberListQuery(serializers.Serializer):
    sort = serializers.ChoiceField(
        choices=list(selectors.MEMBER_SORTS), default="reputation", help_text="Highest first."
    )
    level = serializers.ChoiceField(
        choices=[], required=False, allow_blank=True, help_text="Only members at this level."
    )
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=150, help_text="Username starts with."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read when used: the levels are settings, and their names follow the language.
        self.fields["level"].choices = [level.key for level in levels.all_levels()]


class MemberSummaryOut(serializers.ModelSerializer):
    """A row of the member list: what the page's table shows."""

    name = serializers.CharField(source="shown_name", help_text="Display name, else username.")
    avatar = serializers.ImageField(read_only=True, allow_null=True, use_url=True)
    level = LevelOut()
    devices = MemberDeviceOut(many=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "name",
            "avatar",
            "level",
            "reputation",
            "post_count",
            "thread_count",
            "date_joined",
            "devices",
        ]


class MemberProfileOut(MemberSummaryOut):
    """A member's public profile: what their page shows."""

    next_level = serializers.SerializerMethodField()
    points_to_next = serializers.SerializerMethodField()
    level_progress = serializers.SerializerMethodField()
    check_in_streak = serializers.IntegerField(
        source="current_check_in_streak", help_text="Days in a row, as it stands today."
    )
    can_see_ledger = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()

    class Meta(MemberSummaryOut.Meta):
        fields = [
            *MemberSummaryOut.Meta.fields,
            "signature",
            "next_level",
            "points_to_next",
            "level_progress",
            "check_in_streak",
            "best_check_in_streak",
            "is_suspended",
            "can_see_ledger",
            "region",
        ]

    @extend_schema_field(LevelOut(allow_null=True))
    def get_next_level(self, member) -> dict | None:
        coming = levels.next_level(member.reputation)
        return LevelOut(coming).data if coming else None

    def get_points_to_next(self, member) -> int:
        return levels.level_progress(member.reputation)["points_to_next"]

    def get_level_progress(self, member) -> int:
        """Percent of the way from this level to the next (100 at the top)."""
        return levels.level_progress(member.reputation)["level_progress"]

    def get_can_see_ledger(self, member) -> bool:
        """Whether the caller may read this member's reputation ledger."""
        return permissions.can_see_ledger(self.context["request"].user, member)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_region(self, member) -> str | None:
        """Where they last signed in from (IP属地), in the caller's language; null unless
        the site shows IP locations, or unknown."""
        return regions.shown(member.region) or None


class MySanctionOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("suspension", "suspension"), ("silence", "silence")])
    until = serializers.DateTimeField()
    permanent = serializers.BooleanField()
    reason = serializers.CharField()


class MyProfileOut(MemberProfileOut):
    """The caller's own profile, with their settings and what the pages' header shows."""

    checked_in_today = serializers.BooleanField()
    sanction = serializers.SerializerMethodField()

    class Meta(MemberProfileOut.Meta):
        fields = [
            *MemberProfileOut.Meta.fields,
            "email",
            "language",
            "auto_watch",
            "unread_notifications",
            "last_check_in",
            "checked_in_today",
            "is_staff",
            "is_global_moderator",
            "sanction",
        ]

    @extend_schema_field(MySanctionOut(allow_null=True))
    def get_sanction(self, user) -> dict | None:
        """The suspension, else the silence, in force (the pages' banner)."""
        if user.is_suspended:
            sanction = {
                "kind": "suspension",
                "until": user.suspended_until,
                "permanent": user.is_suspended_permanently,
                "reason": user.suspension_reason,
            }
        elif user.is_silenced:
            sanction = {
                "kind": "silence",
                "until": user.silenced_until,
                "permanent": False,
                "reason": user.silence_reason,
            }
        else:
            return None
        return MySanctionOut(sanction).data


class MyProfileIn(serializers.Serializer):
    """Fields left out keep their value."""

    display_name = serializers.CharField(
        required=False, allow_blank=True, max_length=_max_length(User, "display_name")
    )
    signature = serializers.CharField(
        required=False, allow_blank=True, max_length=_max_length(User, "signature")
    )
    devices = DeviceCodenamesField(
        required=False, help_text="Codenames of the devices I own (the whole list; [] for none)."
    )
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)


class AvatarIn(serializers.Serializer):
    avatar = serializers.FileField(help_text="PNG, JPEG, WebP or GIF, as on the profile page.")

    def validate_avatar(self, upload):
        return clean_avatar(upload)  # the profile form's own check and re-encoding


def _notification_settings_fields(*, required: bool) -> dict:
    fields = {
        kind.value: serializers.ChoiceField(
            choices=Delivery.choices, required=required, help_text=str(kind.label)
        )
        for kind in NotificationKind
    }
    fields["auto_watch"] = serializers.BooleanField(
        required=required, help_text="Watch threads I start or reply to."
    )
    return fields


NotificationSettingsOut = type(
    "NotificationSettingsOut",
    (serializers.Serializer,),
    {
        "__doc__": "How I hear of each kind of notification, and auto-watch.",
        **_notification_settings_fields(required=True),
    },
)
NotificationSettingsIn = type(
    "NotificationSettingsIn",
    (serializers.Serializer,),
    {
        "__doc__": "Kinds left out keep their delivery.",
        **_notification_settings_fields(required=False),
    },
)


# Notifications ------------------------------------------------------------------------


class NotificationOut(serializers.ModelSerializer):
    text = serializers.CharField(
        read_only=True, help_text="What happened, worded in the caller's language."
    )
    excerpt = serializers.CharField(read_only=True, help_text="Plain text, never Markdown.")
    target_url = serializers.CharField(read_only=True, help_text="A path on the site.")

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "text",
            "excerpt",
            "actor_name",
            "target_url",
            "target_title",
            "count",
            "is_read",
            "created_at",
            "updated_at",
        ]


class UnreadCountOut(serializers.Serializer):
    unread = serializers.IntegerField(min_value=0)


class MeCountsOut(serializers.Serializer):
    notifications = serializers.IntegerField(min_value=0, help_text="Unread notifications.")
    conversations = serializers.IntegerField(
        min_value=0, help_text="Conversations with unread messages."
    )


class MarkedAllReadOut(serializers.Serializer):
    marked = serializers.IntegerField(min_value=0, help_text="How many were unread.")
    unread = serializers.IntegerField(min_value=0)


# Reputation ---------------------------------------------------------------------------


class LedgerEntryOut(serializers.ModelSerializer):
    reason = serializers.ChoiceField(choices=ReputationReason.choices)
    text = serializers.CharField(read_only=True, help_text="The line, in the caller's language.")
    reverses = serializers.IntegerField(
        source="reverses_id",
        allow_null=True,
        read_only=True,
        help_text="The line this one takes back, if it does.",
    )

    class Meta:
        model = ReputationEntry
        fields = [
            "id",
            "points",
            "reason",
            "text",
            "target_title",
            "target_url",
            "target_floor",
            "reverses",
            "created_at",
        ]


class CheckInOut(serializers.Serializer):
    day = serializers.DateField(help_text="Today, in the site's time zone.")
    points = serializers.IntegerField(help_text="Reputation earned, streak bonus included.")
    streak = serializers.IntegerField(help_text="Days in a row, today included.")
    best_streak = serializers.IntegerField()
    reputation = serializers.IntegerField(help_text="My total afterwards.")
    message = serializers.CharField(help_text="What the page says, in the caller's language.")


class StreakOut(serializers.Serializer):
    current_streak = serializers.IntegerField(
        source="current_check_in_streak", help_text="0 once a day was missed."
    )
    best_streak = serializers.IntegerField(source="best_check_in_streak")
    last_check_in = serializers.DateField(allow_null=True)
    checked_in_today = serializers.BooleanField()


# Invitations --------------------------------------------------------------------------


INVITATION_STATUSES = [(s, s) for s in ("open", "used", "expired", "revoked")]


class InvitationCodeOut(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=INVITATION_STATUSES, read_only=True)
    uses_left = serializers.IntegerField(read_only=True)
    join_url = serializers.SerializerMethodField()

    class Meta:
        model = InvitationCode
        fields = [
            "id",
            "code",
            "join_url",
            "status",
            "max_uses",
            "uses",
            "uses_left",
            "expires_at",
            "revoked_at",
            "sent_to",
            "sent_at",
            "created_at",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_join_url(self, code) -> str:
        """The link to share: it opens sign-up with the code filled in."""
        return site_url(selectors.join_path(code.code))


class InvitationCreateIn(serializers.Serializer):
    max_uses = serializers.IntegerField(
        min_value=1, max_value=INT_MAX, default=1, help_text="How many people may join with it."
    )
    expires_in_days = serializers.IntegerField(
        min_value=1, max_value=INT_MAX, required=False, help_text="Default: the site's."
    )
    email = serializers.EmailField(
        required=False, allow_blank=True, default="", help_text="Email the link there at once."
    )


class InvitationSendIn(serializers.Serializer):
    email = serializers.EmailField()


REGISTRATION_MODES = [(mode, mode) for mode in permissions.REGISTRATION_MODES]


class InvitationQuotaOut(serializers.Serializer):
    can_invite = serializers.BooleanField()
    denied_reason = serializers.CharField(
        allow_null=True, help_text="Why I may not invite (the page's words), or null."
    )
    quota = serializers.IntegerField(allow_null=True, help_text="A month; null: no limit.")
    left = serializers.IntegerField(allow_null=True, help_text="This month; null: no limit.")
    max_uses_allowed = serializers.IntegerField()
    default_expiry_days = serializers.IntegerField()
    max_expiry_days = serializers.IntegerField()
    resend_after_minutes = serializers.IntegerField()
    invitee_count = serializers.IntegerField()
    active_count = serializers.IntegerField()
    active_posts = serializers.IntegerField(help_text="Posts that make an invitee active…")
    active_within_days = serializers.IntegerField(help_text="…within this many days of joining.")
    registration_mode = serializers.ChoiceField(choices=REGISTRATION_MODES)


class InvitationCheckIn(serializers.Serializer):
    code = serializers.CharField(max_length=100, help_text="As typed: any case, spaces, dashes.")


# Why a code cannot admit anyone (accounts.selectors.InvitationUnavailable.reason).
UNAVAILABLE_REASONS = [(reason, reason) for reason in ("unknown", "revoked", "used", "expired")]


class InvitationCheckOut(serializers.Serializer):
    code = serializers.CharField(help_text="The code as normalised.")
    valid = serializers.BooleanField()
    reason = serializers.ChoiceField(
        choices=UNAVAILABLE_REASONS,
        allow_null=True,
        help_text="Why it cannot admit anyone now; null when valid.",
    )
    message = serializers.CharField(allow_null=True, help_text="The sign-up form's words.")
    inviter_name = serializers.CharField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    uses_left = serializers.IntegerField(allow_null=True)


class InviteeOut(serializers.ModelSerializer):
    username = serializers.CharField(source="invitee.username")
    name = serializers.CharField(source="invitee.shown_name")
    post_count = serializers.IntegerField(source="invitee.post_count")
    is_active = serializers.BooleanField(source="invitee.is_active")
    joined_at = serializers.DateTimeField(source="created_at")
    active_deadline = serializers.SerializerMethodField()

    class Meta:
        model = InvitationRedemption
        fields = [
            "username",
            "name",
            "post_count",
            "is_active",
            "joined_at",
            "activated_at",
            "active_deadline",
        ]

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_active_deadline(self, redemption) -> str:
        """Until when enough posts make them active (and earn me reputation)."""
        days = permissions.invitation_config()["ACTIVE_WITHIN_DAYS"]
        return serializers.DateTimeField().to_representation(
            redemption.created_at + timedelta(days=days)
        )


# Programs (the member's side) -----------------------------------------------------------


class ProgramOut(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=Program.Status.choices)
    seats_left = serializers.IntegerField(read_only=True)
    is_open = serializers.BooleanField(read_only=True)
    devices = serializers.SlugRelatedField(slug_field="codename", many=True, read_only=True)

    class Meta:
        model = Program
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "status",
            "is_open",
            "seats",
            "seats_taken",
            "seats_left",
            "starts_at",
            "ends_at",
            "devices",
        ]


class ProgramMembershipOut(serializers.ModelSerializer):
    program = ProgramOut()
    state = serializers.ChoiceField(
        source="effective_state",
        choices=MembershipState.choices,
        help_text="As it reads now: a pending invitation past its expiry is `expired`.",
    )
    state_label = serializers.CharField(source="get_effective_state_display")
    invited_by = serializers.CharField(
        source="invited_by.username", allow_null=True, default=None, read_only=True
    )

    class Meta:
        model = ProgramMembership
        fields = [
            "id",
            "code",
            "program",
            "state",
            "state_label",
            "invited_by",
            "invited_at",
            "expires_at",
            "responded_at",
            "ended_at",
            "cooling_off_until",
            "end_reason",
            "warned_at",
        ]


class CoolingOffOut(serializers.ModelSerializer):
    program_id = serializers.IntegerField()
    program_name = serializers.CharField(source="program.name")
    state = serializers.ChoiceField(choices=MembershipState.choices)

    class Meta:
        model = ProgramMembership
        fields = ["program_id", "program_name", "state", "ended_at", "cooling_off_until"]


# Applying to programmes (the member's side) -------------------------------------------


class OpenProgramOut(ProgramOut):
    auto_accept = serializers.BooleanField(source="apply_rules.auto_accept")
    quiz_per_day = serializers.IntegerField(source="apply_rules.quiz_per_day")
    quiz_pass_mark = serializers.IntegerField(source="apply_rules.quiz_pass_mark")

    class Meta(ProgramOut.Meta):
        fields = [*ProgramOut.Meta.fields, "auto_accept", "quiz_per_day", "quiz_pass_mark"]


class CriterionOut(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    need = serializers.IntegerField()
    have = serializers.IntegerField()
    passed = serializers.BooleanField()


class FormQuestionOut(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class QuizQuestionOut(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    choices = serializers.ListField(child=serializers.CharField())


class ApplicationFormOut(serializers.Serializer):
    can_apply = serializers.BooleanField()
    refusal = serializers.CharField(allow_null=True)
    quiz_day = serializers.DateField()
    quiz_pass_mark = serializers.IntegerField()
    questions = FormQuestionOut(many=True)
    quiz = QuizQuestionOut(many=True, help_text="Today's draw for me; another tomorrow.")
    criteria = CriterionOut(many=True)


class ApplicationIn(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.CharField(max_length=2000, allow_blank=True),
        help_text="Question id → answer, for every question of the form.",
    )
    quiz = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=5),
        help_text="Quiz question id → index of the chosen answer, for today's draw.",
    )
    quiz_day = serializers.DateField(
        required=False, help_text="The day the quiz was drawn (default today; yesterday accepted)."
    )

    def validate(self, attrs):
        for name in ("answers", "quiz"):
            try:
                attrs[name] = {int(k): v for k, v in attrs[name].items()}
            except (TypeError, ValueError):
                raise serializers.ValidationError({name: ["Keys are question ids."]}) from None
        return attrs


class MyApplicationOut(serializers.ModelSerializer):
    program_id = serializers.IntegerField()
    program_name = serializers.CharField(source="program.name")
    state = serializers.ChoiceField(choices=ApplicationState.choices)
    criteria = CriterionOut(many=True)

    class Meta:
        model = ProgramApplication
        fields = [
            "id",
            "program_id",
            "program_name",
            "state",
            "quiz_day",
            "quiz_correct",
            "quiz_total",
            "quiz_passed",
            "criteria",
            "criteria_passed",
            "submitted_at",
            "decided_at",
            "automatic",
            "decision_reason",
        ]


class ScoreEntryOut(serializers.ModelSerializer):
    reason = serializers.ChoiceField(choices=ScoreReason.choices)
    reason_label = serializers.CharField(source="get_reason_display")

    class Meta:
        model = ProgramScoreEntry
        fields = ["reason", "reason_label", "delta", "created_at"]


class WeekOut(serializers.ModelSerializer):
    class Meta:
        model = ProgramWeek
        fields = ["week_start", "bug_reports_with_log", "met"]


class ProgressOut(serializers.Serializer):
    program_id = serializers.IntegerField(source="membership.program_id")
    week_start = serializers.DateField()
    deadline = serializers.DateTimeField()
    tasks = CriterionOut(many=True)
    score = serializers.IntegerField()
    missed_weeks = serializers.IntegerField()
    removal_after = serializers.IntegerField(help_text="Missed weeks in a row before removal.")
    warned_at = serializers.DateTimeField(allow_null=True)
    weeks = WeekOut(many=True)
    history = ScoreEntryOut(many=True)
