"""The staff side of early-access programmes over the API (tag "programs"): create and
edit, candidates with scores and reasons, invite one, selected or all, remove, seats.

Every operation is staff-only through moderation.permissions.check_can_manage_programs
(the pages' rule, with its reason); the writes are moderation's checked, audited verbs.
The member side (accept, decline, leave) is accounts.api's.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts import levels
from accounts import selectors as account_selectors
from accounts.api.serializers import INT_MAX, DeviceCodenamesField
from accounts.models import PROGRAM_FIELDS, MembershipState, Program, ProgramCandidate, User
from accounts.models import ProgramMembership as Membership
from config.api_schema import api_doc
from config.api_views import ApiListView, ApiView
from config.http import client_ip
from forum.models import Board
from moderation import services
from moderation.permissions import check_can_manage_programs

STAFF_ONLY = "Staff (the early-access pages' rule); anyone else gets a 403."


class StaffProgramApiView(ApiView):
    """Signed in (else 401), then staff (else 403 with the pages' reason) before anything."""

    permission_classes = [IsAuthenticated]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_can_manage_programs(request.user)


class StaffProgramApiListView(ApiListView):
    permission_classes = [IsAuthenticated]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_can_manage_programs(request.user)


# Serializers ----------------------------------------------------------------------------


class StaffProgramOut(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=Program.Status.choices)
    seats_left = serializers.IntegerField(read_only=True)
    is_open = serializers.BooleanField(read_only=True)
    devices = serializers.SlugRelatedField(slug_field="codename", many=True, read_only=True)
    board = serializers.SerializerMethodField()
    candidate_count = serializers.SerializerMethodField()
    pending_count = serializers.SerializerMethodField()

    class Meta:
        model = Program
        fields = [
            "id",
            *PROGRAM_FIELDS,
            "devices",
            "board",
            "seats_taken",
            "seats_left",
            "is_open",
            "candidate_count",
            "pending_count",
            "created_at",
            "updated_at",
            "flagged_at",
        ]

    def get_board(self, program) -> str | None:
        """The slug of the programme's private board, or null."""
        boards = program.private_boards
        return boards[0].slug if boards else None

    def get_candidate_count(self, program) -> int:
        return program.candidate_count or 0

    def get_pending_count(self, program) -> int:
        """Invitations not yet answered nor expired."""
        return program.pending_count or 0


class StaffProgramIn(serializers.ModelSerializer):
    """A programme's settings and criteria; on an edit, fields left out stay as they are."""

    min_level = serializers.ChoiceField(choices=[], required=False, allow_blank=True)
    devices = DeviceCodenamesField(required=False, help_text="Codenames of its devices.")
    board = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Board.objects.all(),
        required=False,
        allow_null=True,
        help_text="Slug of its private board (only members see it); null for none.",
    )

    class Meta:
        model = Program
        fields = [*PROGRAM_FIELDS, "devices", "board"]
        # The service says "another program uses this slug", in one place.
        extra_kwargs = {"slug": {"validators": []}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["min_level"].choices = [level.key for level in levels.all_levels()]


class ProgramSeatsOut(serializers.Serializer):
    seats = serializers.IntegerField()
    seats_taken = serializers.IntegerField()
    seats_left = serializers.IntegerField()
    counts = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Rows per state as they read now, and `candidates`.",
    )


class ProgramCandidateOut(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    reasons = serializers.CharField(help_text="Why they qualify, in the caller's language.")
    invitation_state = serializers.ChoiceField(
        choices=MembershipState.choices,
        allow_null=True,
        help_text="Their latest invitation's state as it reads now; null: never invited.",
    )
    invitation_label = serializers.CharField()
    cooling_off_until = serializers.DateTimeField(allow_null=True)
    cooling = serializers.BooleanField(help_text="In a cooling-off period: not invitable.")
    invitable = serializers.BooleanField()

    class Meta:
        model = ProgramCandidate
        fields = [
            "user_id",
            "username",
            "score",
            "days_active_30d",
            "posts_30d",
            "reputation",
            "reasons",
            "flagged_at",
            "refreshed_at",
            "invitation_state",
            "invitation_label",
            "cooling_off_until",
            "cooling",
            "invitable",
        ]


class ProgramMembershipStaffOut(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    state = serializers.ChoiceField(source="effective_state", choices=MembershipState.choices)
    state_label = serializers.CharField(source="get_effective_state_display")
    invited_by = serializers.CharField(
        source="invited_by.username", allow_null=True, default=None, read_only=True
    )

    class Meta:
        model = Membership
        fields = [
            "id",
            "user_id",
            "username",
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


class ProgramInviteUserIn(serializers.Serializer):
    username = serializers.CharField(max_length=150)

    def validate_username(self, username: str) -> User:
        user = User.objects.filter(username=username.strip()).first()
        if user is None:
            raise serializers.ValidationError(_("There is no member with this username."))
        return user


class ProgramInviteCandidatesIn(serializers.Serializer):
    user_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=INT_MAX),
        required=False,
        min_length=1,
        max_length=1000,
        help_text="Invite these candidates…",
    )
    all = serializers.BooleanField(
        required=False, default=False, help_text="…or every invitable candidate."
    )

    def validate(self, data):
        if bool(data.get("user_ids")) == bool(data.get("all")):
            raise serializers.ValidationError(
                _("Choose candidates with user_ids, or set all, not both.")
            )
        return data


class ProgramInvitedOut(serializers.Serializer):
    invited = serializers.IntegerField(help_text="How many were invited now.")


class CandidatesRefreshedOut(serializers.Serializer):
    qualifying = serializers.IntegerField(help_text="How many qualify now.")


class ProgramFreeBoardOut(serializers.ModelSerializer):
    section = serializers.CharField(source="section.name")

    class Meta:
        model = Board
        fields = ["id", "slug", "name", "section", "visibility"]


class ProgramRemoveIn(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Told to the member.")


# Views ----------------------------------------------------------------------------------


def _programs():
    return account_selectors.programs_with_counts().prefetch_related(
        "devices",
        Prefetch(
            "boards",
            queryset=Board.objects.only("pk", "slug", "program_id"),
            to_attr="private_boards",
        ),
    )


def _program(program_id: int) -> Program:
    return get_object_or_404(_programs(), pk=program_id)


def _program_out(program_id: int) -> dict:
    return StaffProgramOut(_program(program_id)).data


def _service_fields(data: dict) -> dict:
    fields = dict(data)
    for name in ("devices", "board"):
        fields.pop(name, None)
    return fields


class StaffPrograms(StaffProgramApiListView):
    serializer_class = StaffProgramOut
    ordering = ("-starts_at", "-id")

    def get_queryset(self):
        return _programs()

    @api_doc(
        tag="programs",
        summary="All early-access programmes (staff)",
        permission=STAFF_ONLY,
        responses={200: StaffProgramOut(many=True)},
        errors=(400, 403),
        description="Newest start first, with their seats, candidates and pending invitations.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @api_doc(
        tag="programs",
        summary="Create an early-access programme (staff)",
        permission=STAFF_ONLY,
        request=StaffProgramIn,
        responses={201: StaffProgramOut},
        errors=(400,),
        description="Audited. `starts_at` defaults to now, `status` to draft.",
    )
    def post(self, request, *args, **kwargs):
        data = StaffProgramIn(data=request.data)
        data.is_valid(raise_exception=True)
        program = services.program_create(
            actor=request.user,
            devices=data.validated_data.get("devices", ()),
            board=data.validated_data.get("board"),
            ip=client_ip(request),
            **_service_fields(data.validated_data),
        )
        return Response(_program_out(program.pk), status=status.HTTP_201_CREATED)


class StaffProgram(StaffProgramApiView):
    @api_doc(
        tag="programs",
        summary="An early-access programme (staff)",
        permission=STAFF_ONLY,
        responses={200: StaffProgramOut},
        errors=(403, 404),
    )
    def get(self, request, program_id):
        return Response(_program_out(program_id))

    @api_doc(
        tag="programs",
        summary="Edit an early-access programme (staff)",
        permission=STAFF_ONLY,
        request=StaffProgramIn,
        responses={200: StaffProgramOut},
        errors=(400, 404),
        description=(
            "Audited with the fields that changed. Seats never drop below the seats taken; "
            "`board: null` makes the programme's board public again."
        ),
    )
    def patch(self, request, program_id):
        program = get_object_or_404(Program, pk=program_id)
        data = StaffProgramIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        board = (
            fields["board"] if "board" in fields else Board.objects.filter(program=program).first()
        )
        services.program_update(
            program=program,
            actor=request.user,
            devices=fields.get("devices"),
            board=board,
            ip=client_ip(request),
            **_service_fields(fields),
        )
        return Response(_program_out(program.pk))


class StaffProgramFreeBoards(StaffProgramApiListView):
    serializer_class = ProgramFreeBoardOut
    ordering = ("id",)

    def get_queryset(self):
        return Board.objects.filter(program__isnull=True).select_related("section")

    @api_doc(
        tag="programs",
        summary="Boards free to become a programme's private board (staff)",
        permission=STAFF_ONLY,
        responses={200: ProgramFreeBoardOut(many=True)},
        errors=(400, 403),
        description="The programme form's choices: boards no programme has made private.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class StaffProgramSeats(StaffProgramApiView):
    @api_doc(
        tag="programs",
        summary="A programme's seats and rows per state (staff)",
        permission=STAFF_ONLY,
        responses={200: ProgramSeatsOut},
        errors=(403, 404),
        description="Seats change with an edit; they are taken only by accepting.",
    )
    def get(self, request, program_id):
        program = get_object_or_404(Program, pk=program_id)
        out = {
            "seats": program.seats,
            "seats_taken": program.seats_taken,
            "seats_left": program.seats_left,
            "counts": account_selectors.program_counts(program),
        }
        return Response(ProgramSeatsOut(out).data)


class StaffProgramCandidates(StaffProgramApiListView):
    serializer_class = ProgramCandidateOut
    ordering = ("-score", "user_id")

    def get_queryset(self):
        self.program = get_object_or_404(Program, pk=self.kwargs["program_id"])
        return account_selectors.candidates_of(self.program)

    def paginate_queryset(self, queryset):
        rows = super().paginate_queryset(queryset)
        return account_selectors.describe_candidates(self.program, list(rows))

    @api_doc(
        tag="programs",
        summary="A programme's candidates (staff)",
        permission=STAFF_ONLY,
        responses={200: ProgramCandidateOut(many=True)},
        errors=(400, 403, 404),
        description=(
            "Best score first, each with the numbers and the reasons they qualify and "
            "their latest invitation's state. The flagging job refreshes them daily."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class StaffProgramCandidatesRefresh(StaffProgramApiView):
    @api_doc(
        tag="programs",
        summary="Refresh a programme's candidates now (staff)",
        permission=STAFF_ONLY,
        responses={200: CandidatesRefreshedOut},
        errors=(404,),
        description="What the daily job does, for this programme, at once.",
    )
    def post(self, request, program_id):
        program = get_object_or_404(Program, pk=program_id)
        qualifying = services.program_flag_now(program=program, actor=request.user)
        return Response(CandidatesRefreshedOut({"qualifying": qualifying}).data)


class StaffProgramCandidatesInvite(StaffProgramApiView):
    @api_doc(
        tag="programs",
        summary="Invite selected candidates, or all (staff)",
        permission=STAFF_ONLY,
        request=ProgramInviteCandidatesIn,
        responses={200: ProgramInvitedOut},
        errors=(400, 404, 409),
        description=(
            "Audited. Skipped: anyone invited or a member already, cooling off, or "
            "inactive, and with `all` anyone who declined. A programme not open is a 409."
        ),
    )
    def post(self, request, program_id):
        program = get_object_or_404(Program, pk=program_id)
        data = ProgramInviteCandidatesIn(data=request.data)
        data.is_valid(raise_exception=True)
        invited = services.program_invite_candidates(
            program=program,
            actor=request.user,
            user_ids=None if data.validated_data["all"] else data.validated_data["user_ids"],
            ip=client_ip(request),
        )
        return Response(ProgramInvitedOut({"invited": invited}).data)


def _memberships(program: Program, state: str):
    return account_selectors.memberships_in_state(program, state=state)


class StaffProgramMemberships(StaffProgramApiListView):
    serializer_class = ProgramMembershipStaffOut
    ordering = ("-invited_at", "-id")

    def get_queryset(self):
        program = get_object_or_404(Program, pk=self.kwargs["program_id"])
        state = self.request.query_params.get("state", MembershipState.ACCEPTED)
        if state not in MembershipState.values:
            raise serializers.ValidationError({"state": [_("Choose one of the states.")]})
        return _memberships(program, state)

    @api_doc(
        tag="programs",
        summary="A programme's invitations and members, by state (staff)",
        permission=STAFF_ONLY,
        responses={200: ProgramMembershipStaffOut(many=True)},
        errors=(400, 403, 404),
        parameters=[
            OpenApiParameter(
                name="state",
                type=str,
                enum=list(MembershipState.values),
                required=False,
                description="Rows that read as this state now (default: accepted).",
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @api_doc(
        tag="programs",
        summary="Invite a member by username (staff)",
        permission=STAFF_ONLY,
        request=ProgramInviteUserIn,
        responses={201: ProgramMembershipStaffOut},
        errors=(400, 404, 409),
        description=(
            "Audited; the member is notified (and emailed, by their setting). Already "
            "invited or a member, cooling off, or a programme not open is a 409."
        ),
    )
    def post(self, request, *args, **kwargs):
        program = get_object_or_404(Program, pk=self.kwargs["program_id"])
        data = ProgramInviteUserIn(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.program_invite(
            program=program,
            user=data.validated_data["username"],
            actor=request.user,
            ip=client_ip(request),
        )
        row = Membership.objects.select_related("user", "invited_by").get(pk=membership.pk)
        return Response(ProgramMembershipStaffOut(row).data, status=status.HTTP_201_CREATED)


class StaffProgramRemove(StaffProgramApiView):
    @api_doc(
        tag="programs",
        summary="Remove a member or withdraw an invitation (staff)",
        permission=STAFF_ONLY,
        request=ProgramRemoveIn,
        responses={200: ProgramMembershipStaffOut},
        errors=(400, 404, 409),
        description=(
            "Audited; frees the seat, starts the longer cooling-off and tells the member "
            "why. Someone neither a member nor invited any more is a 409."
        ),
    )
    def post(self, request, program_id, membership_id):
        membership = get_object_or_404(
            Membership.objects.select_related("user", "program"),
            pk=membership_id,
            program_id=program_id,
        )
        data = ProgramRemoveIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.program_remove(
            membership=membership,
            actor=request.user,
            reason=data.validated_data["reason"],
            ip=client_ip(request),
        )
        row = Membership.objects.select_related("user", "invited_by").get(pk=membership.pk)
        return Response(ProgramMembershipStaffOut(row).data)
