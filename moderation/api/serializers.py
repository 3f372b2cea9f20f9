"""The moderation and staff API's bodies: input serializers type what a call sends,
output serializers render; no rule lives here.

Where a page's form carries a rule beyond types (one board or one section, a date range,
the console's filter), the API validates with that form (moderation.api.views._common)
and these serializers only describe the body for the schema.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import CoreLock, DailyStats, User
from forum.api.serializers import PostOut, ThreadOut
from forum.models import Board, BugStatus, FeedbackStatus, Section, SectionDailyStats
from forum.services import SLOW_MODE_CHOICES
from forum.validators import validate_title
from moderation.forms.console import SANE_DATES
from moderation.forms.sanctions import SilenceForm, SuspendForm
from moderation.models import AuditLog, Report, ReportCase, ReportReason, UserExport
from moderation.permissions import EVERY_POWER
from moderation.selectors import SORTS
from moderation.services import BULK_ACTIONS

# Ids sent in bodies: bounded, so a huge number is a 400 rather than a database overflow.
MAX_ID = 2**63 - 1
REASON_HELP = "Why, for the author and the log (at most 500 characters)."


def _id(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def _reason(**kwargs) -> serializers.CharField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    kwargs.setdefault("default", "")
    kwargs.setdefault("help_text", REASON_HELP)
    return serializers.CharField(max_length=500, **kwargs)


class _BoardSlug(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", queryset=Board.objects.all(), **kwargs)


# Briefs: what a row names ----------------------------------------------------------


class BoardBriefOut(serializers.ModelSerializer):
    class Meta:
        model = Board
        fields = ["id", "slug", "name"]


class SectionBriefOut(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["id", "slug", "name"]


class MemberBriefOut(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username"]


class ThreadBriefOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    is_hidden = serializers.BooleanField()


# Actions on threads and posts ----------------------------------------------------------


class ReasonIn(serializers.Serializer):
    reason = _reason()


class MoveIn(ReasonIn):
    to_board = _BoardSlug(help_text="The board to move to (its slug); you must moderate it too.")
    leave_notice = serializers.BooleanField(
        default=True, help_text="Leave a “Moved” notice in the old board (as the page does)."
    )


class MergeIn(ReasonIn):
    target = _id(help_text="The thread number to merge into; you must moderate its board too.")
    leave_notice = serializers.BooleanField(default=True)


class SplitIn(ReasonIn):
    title = serializers.CharField(validators=[validate_title], help_text="The new thread's title.")
    posts = serializers.ListField(
        child=_id(),
        allow_empty=False,
        max_length=1000,
        help_text="Ids of this thread's posts that move to the new thread.",
    )


class BugStatusIn(ReasonIn):
    status = serializers.ChoiceField(choices=BugStatus.choices, allow_blank=True)
    fixed_in_version = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        default="",
        help_text="The firmware version that fixed it (needed with status `fixed`).",
    )
    release = _id(
        required=False,
        allow_null=True,
        default=None,
        help_text="The release-notes thread that fixed it (`fixed` only); by default the "
        "newest release notes of `fixed_in_version` for the bug's device.",
    )


class FeedbackStatusIn(ReasonIn):
    status = serializers.ChoiceField(choices=FeedbackStatus.choices, allow_blank=True)


class DuplicateIn(ReasonIn):
    original = _id(help_text="The thread this one duplicates; you must moderate its board too.")


class SlowModeIn(ReasonIn):
    seconds = serializers.ChoiceField(
        choices=SLOW_MODE_CHOICES, help_text="Seconds a member waits between replies; 0 is off."
    )


class BulkIn(ReasonIn):
    action = serializers.ChoiceField(choices=list(BULK_ACTIONS))
    threads = serializers.ListField(child=_id(), allow_empty=False, max_length=500)
    to_board = _BoardSlug(required=False, allow_null=True, default=None)


class BulkOut(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(BULK_ACTIONS))
    count = serializers.IntegerField(help_text="Threads changed (one audit row each).")


HIDDEN = ["hidden_by_name", "hidden_reason", "hidden_at"]


class ModeratedThreadOut(ThreadOut):
    """A thread as its moderators see it: with who hid it, when and why."""

    class Meta(ThreadOut.Meta):
        fields = [*ThreadOut.Meta.fields, *HIDDEN]


class ModeratedPostOut(PostOut):
    """A post as its moderators see it: with who hid it, when and why."""

    class Meta(PostOut.Meta):
        fields = [*PostOut.Meta.fields, *HIDDEN]


# The report queue ----------------------------------------------------------------------


class ReportOut(serializers.ModelSerializer):
    reason_label = serializers.CharField(source="get_reason_display")

    class Meta:
        model = Report
        fields = ["id", "reporter_id", "reporter_name", "reason", "reason_label", "text"]
        fields += ["created_at"]


class ReasonCountOut(serializers.Serializer):
    reason = serializers.ChoiceField(choices=ReportReason.choices)
    label = serializers.CharField()
    count = serializers.IntegerField()


class ReportCaseOut(serializers.ModelSerializer):
    post = ModeratedPostOut()
    thread = ThreadBriefOut(source="post.thread")
    board = BoardBriefOut(source="post.thread.board")
    author = MemberBriefOut(source="post.author", allow_null=True)
    already_hidden = serializers.SerializerMethodField()
    reason_counts = serializers.SerializerMethodField()
    reports = ReportOut(many=True, source="open_reports")

    class Meta:
        model = ReportCase
        fields = ["id", "post", "thread", "board", "author", "open_count", "report_count"]
        fields += ["first_reported_at", "last_reported_at", "already_hidden", "reason_counts"]
        fields += ["reports"]

    def get_already_hidden(self, case) -> bool:
        return case.post.is_hidden or case.post.thread.is_hidden

    @staticmethod
    def _counts(case) -> list[dict]:
        counts: dict[str, int] = {}
        for report in case.open_reports:
            counts[report.reason] = counts.get(report.reason, 0) + 1
        labels = dict(ReportReason.choices)
        return [
            {"reason": code, "label": str(labels.get(code, code)), "count": n}
            for code, n in sorted(counts.items(), key=lambda item: -item[1])
        ]

    @extend_schema_field(ReasonCountOut(many=True))
    def get_reason_counts(self, case):
        return ReasonCountOut(self._counts(case), many=True).data


class ResolveIn(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[("hide", "hide"), ("dismiss", "dismiss")],
        help_text="`hide` the post (the whole thread for an opening post) or `dismiss` "
        "the reports.",
    )
    reason = _reason(help_text="Told to the author and the reporters; needed to hide.")
    suspend_days = serializers.IntegerField(
        min_value=1,
        max_value=3650,
        required=False,
        allow_null=True,
        help_text="Also suspend the author for this many days (hide only; staff and "
        "global moderators).",
    )


class ReportCaseResolvedOut(serializers.ModelSerializer):
    class Meta:
        model = ReportCase
        fields = ["id", "post_id", "is_open", "resolution", "resolved_by_name"]
        fields += ["resolution_note", "resolved_at"]


# The approval queue --------------------------------------------------------------------


class PendingAuthorOut(serializers.ModelSerializer):
    level = serializers.CharField(source="level.name")

    class Meta:
        model = User
        fields = ["id", "username", "level", "post_count"]


class PendingPostOut(PostOut):
    thread = ThreadBriefOut()
    board = BoardBriefOut(source="thread.board")
    author = PendingAuthorOut(allow_null=True)
    is_new_thread = serializers.SerializerMethodField()

    class Meta(PostOut.Meta):
        fields = [*PostOut.Meta.fields, "thread", "board", "author", "is_new_thread"]
        fields += ["pending_reason"]

    def get_is_new_thread(self, post) -> bool:
        return post.floor == 1


class QueueCountsOut(serializers.Serializer):
    reports = serializers.IntegerField(help_text="Open report cases in your boards.")
    approvals = serializers.IntegerField(help_text="Posts awaiting approval in your boards.")
    total = serializers.IntegerField()


# The audit log and a member's history ---------------------------------------------------


class AuditRowOut(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display")
    target_label = serializers.CharField(source="target_text")
    board = BoardBriefOut(allow_null=True)
    changes = serializers.SerializerMethodField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)

    class Meta:
        model = AuditLog
        fields = ["id", "created_at", "actor_id", "actor_name", "action", "action_label"]
        fields += ["target_type", "target_id", "target_label", "board", "subject_id", "reason"]
        fields += ["changes", "before", "after", "ip"]

    def get_changes(self, row) -> list[str]:
        """The before/after states as the log shows them, in the reader's language."""
        return [str(change) for change in row.changes]


class AuditLogQuery(serializers.Serializer):
    """The log's filters (the page's)."""

    actor = serializers.CharField(required=False, help_text="A moderator's username.")
    action = serializers.ChoiceField(choices=AuditLog.Action.choices, required=False)
    board = serializers.CharField(
        required=False, help_text="A board's slug, among the boards whose log you read."
    )
    date_from = serializers.DateField(required=False, validators=SANE_DATES)
    date_to = serializers.DateField(required=False, validators=SANE_DATES)


class ReportAgainstOut(serializers.ModelSerializer):
    reason_label = serializers.CharField(source="get_reason_display")
    status_label = serializers.CharField(source="get_status_display")
    thread = ThreadBriefOut(source="post.thread")
    board = BoardBriefOut(source="post.thread.board")

    class Meta:
        model = Report
        fields = ["id", "created_at", "reporter_name", "reason", "reason_label", "text"]
        fields += ["status", "status_label", "post_id", "thread", "board"]


class ReportsFiledOut(serializers.Serializer):
    total = serializers.IntegerField()
    upheld = serializers.IntegerField()
    dismissed = serializers.IntegerField()


_MOMENT = serializers.DateTimeField(allow_null=True)


class MemberModerationOut(serializers.ModelSerializer):
    """A member as the moderation page shows them, with what the caller may do."""

    is_suspended = serializers.BooleanField()
    is_suspended_permanently = serializers.BooleanField()
    suspended_until = serializers.SerializerMethodField()
    suspension_reason = serializers.SerializerMethodField()
    is_silenced = serializers.BooleanField()
    silenced_until = serializers.SerializerMethodField()
    silence_reason = serializers.SerializerMethodField()
    recent_warnings = serializers.IntegerField(
        help_text="Warnings within the window that the next warning adds to."
    )
    reports_filed = ReportsFiledOut()
    may_report_again_at = serializers.DateTimeField(
        allow_null=True, help_text="Set when too many of their reports were dismissed."
    )
    board = serializers.CharField(
        source="acting_board", allow_null=True, help_text="The board acted from (its slug)."
    )
    powers = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(EVERY_POWER)),
        help_text="What you may do to this member (from `board`, for board moderators).",
    )

    class Meta:
        model = User
        fields = ["id", "username", "shown_name", "date_joined", "post_count"]
        fields += ["is_suspended", "is_suspended_permanently", "suspended_until"]
        fields += ["suspension_reason", "is_silenced", "silenced_until", "silence_reason"]
        fields += ["recent_warnings", "reports_filed", "may_report_again_at", "board", "powers"]

    @extend_schema_field(_MOMENT)
    def get_suspended_until(self, member):
        return _MOMENT.to_representation(member.suspended_until) if member.is_suspended else None

    def get_suspension_reason(self, member) -> str:
        return member.suspension_reason if member.is_suspended else ""

    @extend_schema_field(_MOMENT)
    def get_silenced_until(self, member):
        return _MOMENT.to_representation(member.silenced_until) if member.is_silenced else None

    def get_silence_reason(self, member) -> str:
        return member.silence_reason if member.is_silenced else ""


class MemberQuery(serializers.Serializer):
    board = serializers.CharField(
        required=False,
        help_text="The board you act from (its slug): board moderators' powers stop at "
        "their boards.",
    )


class _SanctionIn(serializers.Serializer):
    board = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The board you act from (its slug): needed by board moderators; its log "
        "shows the row.",
    )


class WarnIn(_SanctionIn):
    reason = serializers.CharField(max_length=500, help_text="Told to the member.")


def _hours(form) -> serializers.ChoiceField:
    field = form.base_fields["hours"]
    return serializers.ChoiceField(
        choices=[(value, str(label)) for value, label in field.choices],
        help_text="For how long, in hours (the page's choices; 0 is permanent).",
    )


class SilenceIn(WarnIn):
    hours = _hours(SilenceForm)


class SuspendIn(WarnIn):
    hours = _hours(SuspendForm)


class LiftIn(_SanctionIn):
    reason = _reason()


# Moderator appointments ------------------------------------------------------------------


class BoardModeratorOut(serializers.Serializer):
    id = serializers.IntegerField()
    user = MemberBriefOut()
    board = BoardBriefOut()
    section = SectionBriefOut(source="board.section")


class SectionModeratorOut(serializers.Serializer):
    id = serializers.IntegerField()
    user = MemberBriefOut()
    section = SectionBriefOut()


class ModeratorRoleIn(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    board = serializers.CharField(required=False, allow_blank=True, help_text="A board's slug.")
    section = serializers.CharField(
        required=False, allow_blank=True, help_text="A section's slug (one board or one section)."
    )


class GlobalModeratorIn(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    change = serializers.ChoiceField(choices=[("grant", "grant"), ("revoke", "revoke")])


class RoleChangeOut(serializers.Serializer):
    changed = serializers.BooleanField(help_text="False when it was so already.")
    detail = serializers.CharField(help_text="What was done, in your language.")


# Staff: actives, the console, exports ---------------------------------------------------


class DailyStatsOut(serializers.ModelSerializer):
    class Meta:
        model = DailyStats
        fields = ["day", "dau", "wau", "mau", "stickiness", "engaged", "new_users"]
        fields += ["new_threads", "new_posts", "likes", "computed_at"]


class ActivesQuery(serializers.Serializer):
    start = serializers.DateField(
        required=False,
        validators=SANE_DATES,
        help_text="First day (default: the console's range up to yesterday); at most two "
        "years before `end`.",
    )
    end = serializers.DateField(
        required=False, validators=SANE_DATES, help_text="Last day (default: yesterday)."
    )


class SectionStatsOut(serializers.ModelSerializer):
    section = SectionBriefOut()

    class Meta:
        model = SectionDailyStats
        fields = ["day", "section", "posters", "posters_week", "posters_month", "stickiness"]
        fields += ["likers", "new_threads", "new_posts", "likes"]


class DashboardOut(serializers.Serializer):
    today = serializers.DateField()
    live_actives = serializers.IntegerField(help_text="Members who visited today so far.")
    yesterday = DailyStatsOut(allow_null=True, help_text="Null until the daily job has run.")
    sections = SectionStatsOut(many=True, help_text="Each section's figures yesterday.")


def _sorts() -> list[str]:
    return [key for name in SORTS for key in (f"-{name}", name)]


class MemberFilterQuery(serializers.Serializer):
    """The console's member filter (the page's fields; devices by codename, programs by
    slug)."""

    level = serializers.CharField(required=False, help_text="At least this level (its key).")
    reputation_min = serializers.IntegerField(required=False)
    reputation_max = serializers.IntegerField(required=False)
    days_active_min = serializers.IntegerField(required=False, min_value=0, max_value=30)
    posts_min = serializers.IntegerField(required=False, min_value=0)
    device = serializers.CharField(required=False, help_text="Owns this device (its codename).")
    joined_after = serializers.DateField(required=False, validators=SANE_DATES)
    joined_before = serializers.DateField(required=False, validators=SANE_DATES)
    core = serializers.ChoiceField(choices=[("yes", "yes"), ("no", "no")], required=False)
    program = serializers.CharField(
        required=False, help_text="Accepted member of this early-access program (its slug)."
    )
    sort = serializers.ChoiceField(
        choices=_sorts(), required=False, help_text="Default `-reputation`."
    )


class MemberCountOut(serializers.Serializer):
    count = serializers.IntegerField(help_text="Members the filter matches (what an export holds).")


class ConsoleLevelOut(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class ConsoleMemberOut(serializers.ModelSerializer):
    level = ConsoleLevelOut()
    days_active_30 = serializers.IntegerField()
    posts_30 = serializers.IntegerField()
    likes_received_30 = serializers.IntegerField()
    devices = serializers.SlugRelatedField(slug_field="codename", many=True, read_only=True)
    programs = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "level", "reputation", "days_active_30", "posts_30"]
        fields += ["likes_received_30", "devices", "programs", "date_joined", "last_seen_at"]
        fields += ["is_core", "core_lock"]

    def get_programs(self, member) -> list[str]:
        return [membership.program.slug for membership in member.programs_joined]


class ConsoleMemberDetailOut(ConsoleMemberOut):
    class Meta(ConsoleMemberOut.Meta):
        fields = [*ConsoleMemberOut.Meta.fields, "core_since"]


class CoreFlagChangeOut(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    old = serializers.BooleanField(help_text="Was core.")
    new = serializers.BooleanField(help_text="Is core.")
    lock = serializers.ChoiceField(choices=CoreLock.choices, allow_blank=True)
    changed_by_name = serializers.CharField(help_text="A staff member, or the daily job.")
    reason = serializers.CharField()


class CoreLockIn(serializers.Serializer):
    lock = serializers.ChoiceField(
        choices=CoreLock.choices,
        allow_blank=True,
        help_text="`on` or `off` pins the flag; blank unlocks it (the daily job decides).",
    )
    reason = serializers.CharField(max_length=500, help_text="Why, for the history.")


class ExportIn(MemberFilterQuery):
    emails = serializers.BooleanField(
        default=False, help_text="With email addresses (needs the email permission)."
    )


class ExportOut(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    percent = serializers.IntegerField(min_value=0, max_value=100)
    download_url = serializers.SerializerMethodField()
    download_expires_in = serializers.SerializerMethodField()

    class Meta:
        model = UserExport
        fields = ["id", "status", "status_label", "requested_by_name", "include_emails"]
        fields += ["filters", "total_rows", "rows_written", "percent", "error", "created_at"]
        fields += ["finished_at", "download_url", "download_expires_in"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_download_url(self, export):
        """The signed link to the file (staff only, expiring), once the job is done."""
        return self.context.get("download_url")

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_download_expires_in(self, export):
        """Seconds the link stays valid; ask for the export again for a fresh one."""
        return self.context.get("download_expires_in")


# A member's report of a post (tag posts; moderation owns the report's write path).


class PostReportIn(serializers.Serializer):
    reason = serializers.ChoiceField(choices=ReportReason.choices)
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="Details for the moderators; required when the reason is `other`.",
    )


class PostReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    post_id = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=ReportReason.choices)
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
