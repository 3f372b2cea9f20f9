"""A member's moderation page over the API (moderation.views.sanctions): their state, the
caller's powers over them, their history, and the sanctions (warn, silence, suspend, lift).

Powers are moderation.permissions.sanction_powers: a board moderator acts from a board
they moderate (`board`, the slug the page carries in ?board=), on members without a
moderator role, and only warns, silences (up to the cap) and lifts silences.
"""

from datetime import timedelta

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from rest_framework.response import Response

from accounts.models import User
from config.api_schema import api_doc
from config.http import client_ip
from moderation import permissions, selectors, services
from moderation.api import serializers as s
from moderation.api.views._common import (
    TAG,
    SignedInListView,
    SignedInView,
    board_named,
    storable,
    valid,
)
from moderation.forms.sanctions import PERMANENT

ANY_MODERATOR = "Moderators of any board, section or everywhere (the member page's rule)."


def _member(username: str) -> User:
    if not storable(username):
        raise Http404
    return get_object_or_404(User, username=username)


def _state(request, member: User, board) -> dict:
    """What the member page shows about a member, and what the caller may do to them."""
    member.recent_warnings = selectors.recent_warning_count(member)
    member.reports_filed = selectors.reports_filed(member)
    member.may_report_again_at = selectors.report_refused_until(member)
    member.acting_board = board.slug if board else None
    member.powers = sorted(permissions.sanction_powers(request.user, member, board=board))
    return s.MemberModerationOut(member).data


class MemberModeration(SignedInView):
    @api_doc(
        tag=TAG,
        summary="A member as moderators see them",
        permission=ANY_MODERATOR,
        parameters=[s.MemberQuery],
        responses={200: s.MemberModerationOut},
        errors=(403, 404),
        description=(
            "Their suspension and silence, recent warnings, how their reports fared, and "
            "`powers`: what you may do to them (from `board`, for board moderators). An "
            "unknown `board` is a 404, as on the page."
        ),
    )
    def get(self, request, username):
        permissions.check_can_sanction_anyone(request.user)
        member = _member(username)
        board = board_named(request.query_params)
        return Response(_state(request, member, board))


class _HistoryList(SignedInListView):
    part = ""

    def get_queryset(self):
        permissions.check_can_sanction_anyone(self.request.user)
        member = _member(self.kwargs["username"])
        return getattr(selectors.member_history_rows(member, viewer=self.request.user), self.part)


class MemberSanctions(_HistoryList):
    part = "sanctions"
    serializer_class = s.AuditRowOut
    ordering = ("-created_at", "-id")

    @api_doc(
        tag=TAG,
        summary="A member's suspensions, silences and warnings",
        permission=ANY_MODERATOR,
        responses={200: s.AuditRowOut(many=True)},
        errors=(400, 403, 404),
        description="Every action on the account, newest first (site-wide: every "
        "moderator sees them all).",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MemberActions(_HistoryList):
    part = "actions"
    serializer_class = s.AuditRowOut
    ordering = ("-created_at", "-id")

    @api_doc(
        tag=TAG,
        summary="Moderators' actions on a member's content",
        permission=ANY_MODERATOR,
        responses={200: s.AuditRowOut(many=True)},
        errors=(400, 403, 404),
        description="Newest first; a board moderator sees those in their boards.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MemberReports(_HistoryList):
    part = "reports_against"
    serializer_class = s.ReportAgainstOut
    ordering = ("-created_at", "-pk")

    @api_doc(
        tag=TAG,
        summary="Reports against a member's posts",
        permission=ANY_MODERATOR,
        responses={200: s.ReportAgainstOut(many=True)},
        errors=(400, 403, 404),
        description="Newest first, with their outcome; a board moderator sees those in "
        "their boards.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _until(hours: int):
    return timezone.now() + timedelta(hours=hours)


def _warn(actor, member, data, board, ip):
    services.user_warn(actor=actor, user=member, reason=data["reason"], board=board, ip=ip)


def _silence(actor, member, data, board, ip):
    services.user_silence(
        actor=actor,
        user=member,
        until=_until(data["hours"]),
        reason=data["reason"],
        board=board,
        ip=ip,
    )


def _suspend(actor, member, data, board, ip):
    until = None if data["hours"] == PERMANENT else _until(data["hours"])
    services.user_suspend(
        actor=actor, user=member, until=until, reason=data["reason"], board=board, ip=ip
    )


def _lift(service):
    def run(actor, member, data, board, ip):
        service(actor=actor, user=member, reason=data["reason"], board=board, ip=ip)

    return run


# action: (power, body, run, summary, permission, description)
SANCTIONS = {
    "warn": (
        permissions.WARN,
        s.WarnIn,
        _warn,
        "Warn a member",
        "Staff; global moderators (members below them); board moderators from their boards "
        "(members without a moderator role).",
        "The member is told why. Enough warnings within the window silence them automatically.",
    ),
    "silence": (
        permissions.SILENCE,
        s.SilenceIn,
        _silence,
        "Silence a member",
        "As for warnings; board moderators silence for a limited time.",
        "They may read and like, not post, until then.",
    ),
    "lift-silence": (
        permissions.LIFT_SILENCE,
        s.LiftIn,
        _lift(services.user_lift_silence),
        "Lift a silence",
        "As for warnings.",
        "A member who is not silenced is a 400.",
    ),
    "suspend": (
        permissions.SUSPEND,
        s.SuspendIn,
        _suspend,
        "Suspend a member",
        "Staff, and global moderators (members below them).",
        "Read-only access until then (`hours: 0`: permanently).",
    ),
    "lift-suspension": (
        permissions.LIFT_SUSPENSION,
        s.LiftIn,
        _lift(services.user_lift_suspension),
        "Lift a suspension",
        "Staff, and global moderators (members below them).",
        "A member who is not suspended is a 400.",
    ),
}


def sanction(action: str):
    power, body, run, summary, permission, description = SANCTIONS[action]

    class Sanction(SignedInView):
        @api_doc(
            tag=TAG,
            summary=summary,
            permission=f"{permission} Nobody sanctions themselves or staff.",
            request=body,
            responses={200: s.MemberModerationOut},
            errors=(400, 403, 404),
            description=f"{description} Writes one audit row, as the page does.",
        )
        def post(self, request, username):
            member = _member(username)
            board = board_named(request.data)
            permissions.check_sanction_power(request.user, member, power, board=board)
            data = valid(body, request.data)
            run(request.user, member, data, board, client_ip(request))
            return Response(_state(request, User.objects.get(pk=member.pk), board))

    Sanction.__name__ = Sanction.__qualname__ = "Sanction" + action.title().replace("-", "")
    return Sanction.as_view()
