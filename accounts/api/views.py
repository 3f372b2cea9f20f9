"""Accounts' API operations: read with the selectors, write with the services, decide with
accounts.permissions, render with accounts.api.serializers.

Refusals are the services' and permissions' own exceptions: config.api_errors turns
them into 400 (with field messages), 403 (with the page's reason), 404 and 409.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts import levels, permissions, selectors, services
from accounts.api import serializers as s
from accounts.models import MembershipState, Notification, NotificationKind, User
from config.api_schema import api_doc
from config.api_views import SEARCH_THROTTLES, ApiListView, ApiView
from config.errors import Conflict

SIGNED_IN = "Signed-in members (their own)."


class MemberApiView(ApiView):
    """An operation on the caller's own things: signed in, or 401."""

    permission_classes = [IsAuthenticated]


class MemberApiListView(ApiListView):
    permission_classes = [IsAuthenticated]


def _context(request) -> dict:
    return {"request": request}


# members ------------------------------------------------------------------------------


class MemberList(ApiListView):
    """Keyset pages on the sort's (value, id), the index the members page pages by."""

    serializer_class = s.MemberSummaryOut
    ORDERINGS = {sort: (f"-{field}", "-id") for sort, field in selectors.MEMBER_SORTS.items()}

    def get_queryset(self):
        query = s.MemberListQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        options = query.validated_data
        self.ordering = self.ORDERINGS[options["sort"]]
        return selectors.members_listed(level=options.get("level", ""), query=options.get("q", ""))

    @api_doc(
        tag="members",
        summary="The member list",
        permission="Anyone.",
        responses={200: s.MemberSummaryOut(many=True)},
        errors=(400,),
        parameters=[s.MemberListQuery],
        description=(
            "Active members sorted by reputation, posts or join date (newest first), as "
            "on the members page; `level` and `q` filter. A cursor belongs to its sort."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MemberProfile(ApiView):
    @api_doc(
        tag="members",
        summary="A member's profile",
        permission="Anyone.",
        responses={200: s.MemberProfileOut},
        errors=(404,),
        description="What the member's page shows; their recent threads are a list of its own.",
    )
    def get(self, request, username):
        member = get_object_or_404(User.objects.prefetch_related("devices"), username=username)
        return Response(s.MemberProfileOut(member, context=_context(request)).data)


def _my_profile(request) -> Response:
    user = User.objects.prefetch_related("devices").get(pk=request.user.pk)
    return Response(s.MyProfileOut(user, context=_context(request)).data)


class MyProfile(MemberApiView):
    @api_doc(
        tag="members",
        summary="My profile and settings",
        permission=SIGNED_IN,
        responses={200: s.MyProfileOut},
        description="My public profile, my settings, the unread count and any sanction.",
    )
    def get(self, request):
        return _my_profile(request)

    @api_doc(
        tag="members",
        summary="Change my profile",
        permission=SIGNED_IN,
        request=s.MyProfileIn,
        responses={200: s.MyProfileOut},
        errors=(400,),
        description=(
            "Display name, signature, the devices I own and my language, as on the profile "
            "page; fields left out stay as they are. The answer is in the language chosen."
        ),
    )
    def patch(self, request):
        data = s.MyProfileIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        user = request.user
        services.profile_update(
            user=user,
            display_name=fields.get("display_name", user.display_name),
            signature=fields.get("signature", user.signature),
            devices=fields["devices"] if "devices" in fields else list(user.devices.all()),
            language=fields.get("language"),
        )
        if user.language:
            translation.activate(user.language)  # say it in the language just chosen
        return _my_profile(request)


class MyAvatar(MemberApiView):
    parser_classes = [MultiPartParser, FormParser]

    @api_doc(
        tag="members",
        summary="Upload my avatar",
        permission=SIGNED_IN,
        request={"multipart/form-data": s.AvatarIn},
        responses={200: s.MyProfileOut},
        errors=(400,),
        description=(
            "The profile page's checks: PNG, JPEG, WebP or GIF, within the size and pixel "
            "limits; it is re-encoded to 256 px without metadata."
        ),
    )
    def post(self, request):
        data = s.AvatarIn(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user
        services.profile_update(
            user=user,
            display_name=user.display_name,
            signature=user.signature,
            avatar=data.validated_data["avatar"],
            devices=list(user.devices.all()),
        )
        return _my_profile(request)

    @api_doc(
        tag="members",
        summary="Remove my avatar",
        permission=SIGNED_IN,
        responses={200: s.MyProfileOut},
    )
    def delete(self, request):
        user = request.user
        services.profile_update(
            user=user,
            display_name=user.display_name,
            signature=user.signature,
            avatar=False,
            devices=list(user.devices.all()),
        )
        return _my_profile(request)


def _notification_settings(user: User) -> dict:
    return {
        **{kind: selectors.delivery_for(user, kind) for kind in NotificationKind.values},
        "auto_watch": user.auto_watch,
    }


class MyNotificationSettings(MemberApiView):
    @api_doc(
        tag="members",
        summary="My notification settings",
        permission=SIGNED_IN,
        responses={200: s.NotificationSettingsOut},
        description="A delivery per kind (on the site, by email too, or off) and auto-watch.",
    )
    def get(self, request):
        return Response(s.NotificationSettingsOut(_notification_settings(request.user)).data)

    @api_doc(
        tag="members",
        summary="Change my notification settings",
        permission=SIGNED_IN,
        request=s.NotificationSettingsIn,
        responses={200: s.NotificationSettingsOut},
        errors=(400,),
    )
    def patch(self, request):
        data = s.NotificationSettingsIn(data=request.data)
        data.is_valid(raise_exception=True)
        chosen = dict(data.validated_data)
        auto_watch = chosen.pop("auto_watch", request.user.auto_watch)
        services.notification_preferences_update(
            user=request.user, settings=chosen, auto_watch=auto_watch
        )
        return Response(s.NotificationSettingsOut(_notification_settings(request.user)).data)


# notifications ------------------------------------------------------------------------


class NotificationList(MemberApiListView):
    serializer_class = s.NotificationOut
    ordering = ("-updated_at", "-id")

    def get_queryset(self):
        return selectors.notifications_of(self.request.user)

    @api_doc(
        tag="notifications",
        summary="My notifications",
        permission=SIGNED_IN,
        responses={200: s.NotificationOut(many=True)},
        errors=(400,),
        description=(
            "Latest activity first. `text` is worded in my language from the stored "
            "message key and parameters; `excerpt` is plain text."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class UnreadCount(MemberApiView):
    @api_doc(
        tag="notifications",
        summary="How many notifications I have not read",
        permission=SIGNED_IN,
        responses={200: s.UnreadCountOut},
        description="The bell's number: read from my account, no count query.",
    )
    def get(self, request):
        return Response(s.UnreadCountOut({"unread": request.user.unread_notifications}).data)


class MeCounts(MemberApiView):
    @api_doc(
        tag="notifications",
        summary="My unread counts: the header's bell and messages",
        permission=SIGNED_IN,
        responses={200: s.MeCountsOut},
        description="What the page's header polls: read from my account, no count query.",
    )
    def get(self, request):
        user = request.user
        counts = {
            "notifications": user.unread_notifications,
            "conversations": user.unread_conversations,
        }
        return Response(s.MeCountsOut(counts).data)


class NotificationRead(MemberApiView):
    @api_doc(
        tag="notifications",
        summary="Mark one notification read",
        permission="Its recipient; anyone else gets a 404.",
        responses={200: s.NotificationOut},
        errors=(404,),
        description="Marking a read one again changes nothing.",
    )
    def post(self, request, notification_id):
        notification = get_object_or_404(
            Notification.objects.only("pk"), pk=notification_id, recipient=request.user
        )
        services.notification_mark_read(user=request.user, notification_id=notification.pk)
        return Response(s.NotificationOut(Notification.objects.get(pk=notification.pk)).data)


class NotificationReadAll(MemberApiView):
    @api_doc(
        tag="notifications",
        summary="Mark all my notifications read",
        permission=SIGNED_IN,
        responses={200: s.MarkedAllReadOut},
    )
    def post(self, request):
        marked = services.notification_mark_all_read(user=request.user)
        request.user.refresh_from_db(fields=["unread_notifications"])
        return Response(
            s.MarkedAllReadOut({"marked": marked, "unread": request.user.unread_notifications}).data
        )


# reputation ---------------------------------------------------------------------------


class _LedgerList(MemberApiListView):
    serializer_class = s.LedgerEntryOut
    ordering = ("-created_at", "-id")

    def member(self) -> User:
        raise NotImplementedError

    def get_queryset(self):
        return selectors.ledger_entries(self.member())


class MyLedger(_LedgerList):
    def member(self) -> User:
        return self.request.user

    @api_doc(
        tag="reputation",
        summary="My reputation ledger",
        permission=SIGNED_IN,
        responses={200: s.LedgerEntryOut(many=True)},
        errors=(400,),
        description="Newest first; each line worded in my language. My total is in /me/.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MemberLedger(_LedgerList):
    def member(self) -> User:
        member = get_object_or_404(User, username=self.kwargs["username"])
        permissions.check_can_see_ledger(self.request.user, member)
        return member

    @api_doc(
        tag="reputation",
        summary="A member's reputation ledger",
        permission="The member, global moderators and staff (the ledger page's rule).",
        responses={200: s.LedgerEntryOut(many=True)},
        errors=(400, 403, 404),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class Levels(ApiView):
    @api_doc(
        tag="reputation",
        summary="Levels and their thresholds",
        permission="Anyone.",
        responses={200: s.LevelsOut},
        description="Names in the caller's language; a member's level is the highest reached.",
    )
    def get(self, request):
        return Response(s.LevelsOut({"levels": levels.all_levels()}).data)


class CheckIn(MemberApiView):
    @api_doc(
        tag="reputation",
        summary="Check in for today",
        permission=SIGNED_IN,
        responses={201: s.CheckInOut},
        errors=(409,),
        description=(
            "Once per calendar day in the site's time zone: reputation, and a bonus every "
            "few days in a row. A second check-in the same day is a 409 with the page's "
            "message and changes nothing."
        ),
    )
    def post(self, request):
        result = services.check_in(user=request.user)
        if not result.checked_in:
            raise Conflict(_("You have already checked in today."))
        user = request.user
        message = ngettext(
            "Checked in: +%(points)s reputation, %(streak)s day in a row.",
            "Checked in: +%(points)s reputation, %(streak)s days in a row.",
            result.streak,
        ) % {"points": result.points, "streak": result.streak}
        out = {
            "day": user.last_check_in,
            "points": result.points,
            "streak": result.streak,
            "best_streak": user.best_check_in_streak,
            "reputation": user.reputation,
            "message": message,
        }
        return Response(s.CheckInOut(out).data, status=status.HTTP_201_CREATED)


class Streak(MemberApiView):
    @api_doc(
        tag="reputation",
        summary="My check-in streak",
        permission=SIGNED_IN,
        responses={200: s.StreakOut},
        description="Read from my account: no query beyond signing in.",
    )
    def get(self, request):
        return Response(s.StreakOut(request.user).data)


# invitations --------------------------------------------------------------------------


class Invitations(MemberApiListView):
    serializer_class = s.InvitationCodeOut
    ordering = ("-created_at", "-id")

    def get_queryset(self):
        return selectors.codes_of(self.request.user)

    @api_doc(
        tag="invitations",
        summary="My invitation codes",
        permission=SIGNED_IN,
        responses={200: s.InvitationCodeOut(many=True)},
        errors=(400,),
        description="Newest first, each with its status and the link to share.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @api_doc(
        tag="invitations",
        summary="Create an invitation code",
        permission=(
            "Members at the inviting level (staff always), not suspended or silenced; "
            "within the monthly quota."
        ),
        request=s.InvitationCreateIn,
        responses={201: s.InvitationCodeOut},
        errors=(400,),
        description=(
            "With `email`, the link is emailed at once (a background task, after the "
            "code is saved), as on the page."
        ),
    )
    def post(self, request, *args, **kwargs):
        data = s.InvitationCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        code = services.invitation_create(creator=request.user, **data.validated_data)
        return Response(s.InvitationCodeOut(code).data, status=status.HTTP_201_CREATED)


def _my_code(request, code_id: int):
    """One of the caller's codes; another member's is a 404, as on the page."""
    return get_object_or_404(selectors.codes_of(request.user), pk=code_id)


class InvitationSend(MemberApiView):
    @api_doc(
        tag="invitations",
        summary="Email an invitation code",
        permission="The code's creator, not suspended or silenced; others get a 404.",
        request=s.InvitationSendIn,
        responses={200: s.InvitationCodeOut},
        errors=(400, 404),
        description=(
            "Queues the email (a background task, after commit). An open code is emailed "
            "at most once an hour or so (the site's setting): sooner is a 400 on `email`."
        ),
    )
    def post(self, request, code_id):
        code = _my_code(request, code_id)
        data = s.InvitationSendIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.invitation_send(code=code, sender=request.user, email=data.validated_data["email"])
        return Response(s.InvitationCodeOut(code).data)


class InvitationRevoke(MemberApiView):
    @api_doc(
        tag="invitations",
        summary="Revoke an invitation code",
        permission="The code's creator; others get a 404.",
        responses={200: s.InvitationCodeOut},
        errors=(404,),
        description=(
            "Nobody else can join with it; members it admitted keep their accounts and its "
            "unused places return to my monthly quota. Revoking it again changes nothing."
        ),
    )
    def post(self, request, code_id):
        code = _my_code(request, code_id)
        services.invitation_revoke(code=code, actor=request.user)
        code.refresh_from_db()
        return Response(s.InvitationCodeOut(code).data)


class InvitationQuota(MemberApiView):
    @api_doc(
        tag="invitations",
        summary="My invitation quota",
        permission=SIGNED_IN,
        responses={200: s.InvitationQuotaOut},
        description="Whether I may invite (and why not), this month's quota and my invitees.",
    )
    def get(self, request):
        user = request.user
        conf = permissions.invitation_config()
        quota = selectors.monthly_quota(user)
        totals = selectors.invitee_totals(user)
        out = {
            "can_invite": permissions.can_invite(user),
            "denied_reason": permissions.invite_denied_reason(user),
            "quota": quota,
            "left": None if quota is None else max(quota - selectors.quota_used(user.pk), 0),
            "max_uses_allowed": selectors.max_uses_allowed(user),
            "default_expiry_days": conf["EXPIRY_DAYS"],
            "max_expiry_days": conf["MAX_EXPIRY_DAYS"],
            "resend_after_minutes": conf["RESEND_AFTER_MINUTES"],
            "invitee_count": totals["total"],
            "active_count": totals["active"],
            "active_posts": conf["ACTIVE_POSTS"],
            "active_within_days": conf["ACTIVE_WITHIN_DAYS"],
            "registration_mode": permissions.registration_mode(),
        }
        return Response(s.InvitationQuotaOut(out).data)


class InvitationCheck(ApiView):
    throttle_classes = SEARCH_THROTTLES

    @api_doc(
        tag="invitations",
        summary="Check an invitation code",
        permission="Anyone (throttled like search, per member and per address).",
        responses={200: s.InvitationCheckOut},
        errors=(400, 429),
        parameters=[s.InvitationCheckIn],
        description=(
            "Whether the code can admit someone now, and if not why (unknown, revoked, "
            "used up, expired) in the sign-up form's words. Signing up takes the use."
        ),
    )
    def get(self, request):
        data = s.InvitationCheckIn(data=request.query_params)
        data.is_valid(raise_exception=True)
        raw = data.validated_data["code"]
        out = {
            "code": selectors.normalize_code(raw),
            "valid": True,
            "reason": None,
            "message": None,
            "inviter_name": None,
            "expires_at": None,
            "uses_left": None,
        }
        try:
            code = selectors.invitation_check(raw)
        except selectors.InvitationUnavailable as exc:
            out.update(valid=False, reason=exc.reason, message=exc.message)
        else:
            out.update(
                inviter_name=code.creator_name or None,
                expires_at=code.expires_at,
                uses_left=code.uses_left,
            )
        return Response(s.InvitationCheckOut(out).data)


class Invitees(MemberApiListView):
    serializer_class = s.InviteeOut
    ordering = ("-created_at", "-id")

    def get_queryset(self):
        return selectors.invitees_of(self.request.user)

    @api_doc(
        tag="invitations",
        summary="The people I invited",
        permission=SIGNED_IN,
        responses={200: s.InviteeOut(many=True)},
        errors=(400,),
        description=(
            "Newest first; an invitee becomes active with enough posts soon enough after "
            "joining, which earns me reputation (the numbers are in the quota)."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# programs (the member's side) -----------------------------------------------------------

STATE_PARAMETER = OpenApiParameter(
    name="state",
    type=str,
    enum=list(MembershipState.values),
    required=False,
    description="Only rows that read as this state now (an invitation past expiry: expired).",
)


def _seen_programs(request):
    return selectors.programs_seen_by(request.user).prefetch_related("devices")


def _my_memberships(request, state: str = ""):
    return selectors.memberships_of(request.user, state=state).prefetch_related("program__devices")


class ProgramList(MemberApiListView):
    serializer_class = s.ProgramOut
    ordering = ("-starts_at", "-id")

    def get_queryset(self):
        return _seen_programs(self.request)

    @api_doc(
        tag="programs",
        summary="Early-access programmes I can see",
        permission="Signed-in members: the programmes they were invited to; staff: all.",
        responses={200: s.ProgramOut(many=True)},
        errors=(400,),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ProgramDetail(MemberApiView):
    @api_doc(
        tag="programs",
        summary="An early-access programme",
        permission="Members invited to it at some time, and staff; others get a 404.",
        responses={200: s.ProgramOut},
        errors=(404,),
    )
    def get(self, request, program_id):
        program = get_object_or_404(_seen_programs(request), pk=program_id)
        return Response(s.ProgramOut(program).data)


class ProgramLeave(MemberApiView):
    @api_doc(
        tag="programs",
        summary="Leave a programme",
        permission="Its members (a 409 for anyone else who may see it; others get a 404).",
        responses={200: s.ProgramMembershipOut},
        errors=(404, 409),
        description="Frees my seat and starts a cooling-off: no new invitation before it ends.",
    )
    def post(self, request, program_id):
        program = get_object_or_404(selectors.programs_seen_by(request.user), pk=program_id)
        membership = services.program_leave(user=request.user, program=program)
        return Response(s.ProgramMembershipOut(_my_memberships(request).get(pk=membership.pk)).data)


class MyProgramInvitations(MemberApiListView):
    serializer_class = s.ProgramMembershipOut
    ordering = ("-invited_at", "-id")

    def get_queryset(self):
        state = self.request.query_params.get("state", "")
        if state and state not in MembershipState.values:
            raise ValidationError({"state": [_("Choose one of the states.")]})
        return _my_memberships(self.request, state)

    @api_doc(
        tag="programs",
        summary="My early-access invitations and memberships",
        permission=SIGNED_IN,
        responses={200: s.ProgramMembershipOut(many=True)},
        errors=(400,),
        parameters=[STATE_PARAMETER],
        description=(
            "Newest first: pending invitations (answer before `expires_at`), programmes "
            "I am in, and the history with cooling-off ends."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _my_invitation(request, code: str):
    """One of the caller's invitations; anyone else's code is a 404, as on the page."""
    return get_object_or_404(_my_memberships(request), code=code)


class MyProgramInvitation(MemberApiView):
    @api_doc(
        tag="programs",
        summary="One of my early-access invitations",
        permission="The invited member; others get a 404.",
        responses={200: s.ProgramMembershipOut},
        errors=(404,),
    )
    def get(self, request, code):
        return Response(s.ProgramMembershipOut(_my_invitation(request, code)).data)


class _Answer(MemberApiView):
    def answer(self, request, code, service):
        _my_invitation(request, code)
        service(user=request.user, code=code)
        return Response(s.ProgramMembershipOut(_my_invitation(request, code)).data)


class ProgramAccept(_Answer):
    @api_doc(
        tag="programs",
        summary="Accept an early-access invitation",
        permission="The invited member; others get a 404.",
        responses={200: s.ProgramMembershipOut},
        errors=(404, 409),
        description=(
            "Takes a seat, or nothing: seats go to whoever accepts first. A full or "
            "closed programme, or an invitation expired or answered, is a 409 (a full "
            "programme leaves the invitation open until it expires)."
        ),
    )
    def post(self, request, code):
        return self.answer(request, code, services.program_accept)


class ProgramDecline(_Answer):
    @api_doc(
        tag="programs",
        summary="Decline an early-access invitation",
        permission="The invited member; others get a 404.",
        responses={200: s.ProgramMembershipOut},
        errors=(404, 409),
        description="An invitation expired or answered already is a 409.",
    )
    def post(self, request, code):
        return self.answer(request, code, services.program_decline)


class MyCoolingOff(MemberApiListView):
    serializer_class = s.CoolingOffOut
    ordering = ("cooling_off_until", "id")

    def get_queryset(self):
        return selectors.cooling_off_of(self.request.user)

    @api_doc(
        tag="programs",
        summary="My cooling-off periods",
        permission=SIGNED_IN,
        responses={200: s.CoolingOffOut(many=True)},
        errors=(400,),
        description=(
            "Programmes I left or was removed from recently: no new invitation to them "
            "before `cooling_off_until`. Soonest end first."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# Applying to programmes ---------------------------------------------------------------------


class OpenPrograms(MemberApiListView):
    serializer_class = s.OpenProgramOut
    ordering = ("-starts_at", "-id")

    def get_queryset(self):
        return selectors.programs_open_for_applications().prefetch_related("devices")

    @api_doc(
        tag="programs",
        summary="Programmes open for applications",
        permission=SIGNED_IN,
        responses={200: s.OpenProgramOut(many=True)},
        errors=(400,),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _open_program(program_id: int):
    return get_object_or_404(selectors.programs_open_for_applications(), pk=program_id)


class ProgramApplicationForm(MemberApiView):
    @api_doc(
        tag="programs",
        summary="The application form: questions, today's quiz, where I stand",
        permission="Signed-in members; a programme not open for applications is a 404.",
        responses={200: s.ApplicationFormOut},
        errors=(404,),
        description=(
            "The quiz is drawn for me and today: the same questions all day, others "
            "tomorrow. `refusal` says why I cannot apply now (then `can_apply` is false)."
        ),
    )
    def get(self, request, program_id):
        program = _open_program(program_id)
        rules = program.apply_rules
        today = timezone.localdate()
        refusal = services.apply_refusal(program, request.user)
        quiz = selectors.quiz_draw(program, request.user, today, rules.quiz_per_day)
        return Response(
            s.ApplicationFormOut(
                {
                    "can_apply": refusal is None,
                    "refusal": refusal,
                    "quiz_day": today,
                    "quiz_pass_mark": rules.quiz_pass_mark,
                    "questions": [
                        {"id": q.pk, "text": q.text} for q in program.apply_questions.all()
                    ],
                    "quiz": [{"id": i.pk, "text": i.text, "choices": i.choices} for i in quiz],
                    "criteria": selectors.criteria_report(program, request.user),
                }
            ).data
        )


class ProgramApply(MemberApiView):
    @api_doc(
        tag="programs",
        summary="Apply to a programme",
        permission="Signed-in members; a programme not open for applications is a 404.",
        request=s.ApplicationIn,
        responses={201: s.MyApplicationOut},
        errors=(400, 404, 409),
        description=(
            "Every question answered and every drawn quiz question given a choice, else a "
            "400 naming them (`question_<id>`, `quiz_<id>`). A quiz below the pass mark is "
            "rejected at once; with automatic acceptance and every criterion met a free "
            "seat is taken now (state accepted), else the application waits for staff. "
            "Already a member, invited, cooling off, waiting or applied today: a 409."
        ),
    )
    def post(self, request, program_id):
        program = _open_program(program_id)
        data = s.ApplicationIn(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.program_apply(
            user=request.user, program=program, **data.validated_data
        )
        row = selectors.applications_of(request.user).get(pk=application.pk)
        return Response(s.MyApplicationOut(row).data, status=status.HTTP_201_CREATED)


class MyApplications(MemberApiListView):
    serializer_class = s.MyApplicationOut
    ordering = ("-submitted_at", "-id")

    def get_queryset(self):
        return selectors.applications_of(self.request.user)

    @api_doc(
        tag="programs",
        summary="My programme applications",
        permission=SIGNED_IN,
        responses={200: s.MyApplicationOut(many=True)},
        errors=(400,),
        description="Newest first, with the quiz's result, the criteria and any reason.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MyProgramProgress(MemberApiView):
    @api_doc(
        tag="programs",
        summary="Where I stand in a programme: this week's tasks, warnings, score history",
        permission="Its members; anyone else gets a 404.",
        responses={200: s.ProgressOut},
        errors=(404,),
        description=(
            "This week's progress against each weekly task and the deadline, missed weeks "
            "in a row and the limit before removal, the warning if any, the score and its "
            "latest 20 changes."
        ),
    )
    def get(self, request, program_id):
        program = get_object_or_404(selectors.programs_seen_by(request.user), pk=program_id)
        membership = selectors.my_membership(request.user, program)
        if membership is None:
            raise Http404
        return Response(s.ProgressOut(selectors.member_progress(membership)).data)
