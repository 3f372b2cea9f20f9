"""Moderator appointments (moderation.views.moderators): staff see who moderates what,
appoint and remove board and section moderators by username, and grant or revoke global
moderator rights; each change one service call with its audit row."""

from django.utils.translation import gettext as _
from rest_framework.response import Response

from config.api_schema import api_doc
from config.http import client_ip
from forum.models import Board, Section
from moderation import selectors, services
from moderation.api import serializers as s
from moderation.api.views._common import (
    TAG,
    SignedInListView,
    SignedInView,
    form_valid,
    pk_or_invalid,
    valid,
)
from moderation.forms.moderators import GlobalModeratorForm, ModeratorRoleForm
from moderation.permissions import check_can_appoint_moderators

STAFF = "Staff."


class _StaffList(SignedInListView):
    ordering = ("pk",)

    def rows(self):
        raise NotImplementedError

    def get_queryset(self):
        check_can_appoint_moderators(self.request.user)
        return self.rows()


class BoardModerators(_StaffList):
    serializer_class = s.BoardModeratorOut

    def rows(self):
        return selectors.board_moderator_rows()

    @api_doc(
        tag=TAG,
        summary="Board moderators",
        permission=STAFF,
        responses={200: s.BoardModeratorOut(many=True)},
        errors=(400, 403),
        description="Every board moderator role, in the order they were appointed.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SectionModerators(_StaffList):
    serializer_class = s.SectionModeratorOut

    def rows(self):
        return selectors.section_moderator_rows()

    @api_doc(
        tag=TAG,
        summary="Section moderators",
        permission=STAFF,
        responses={200: s.SectionModeratorOut(many=True)},
        errors=(400, 403),
        description="They moderate every board of their section.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _role_form(data) -> ModeratorRoleForm:
    """The page's form, with the board and section named by slug as everywhere in the API."""
    given = valid(s.ModeratorRoleIn, data)
    board, section = given.get("board"), given.get("section")
    return ModeratorRoleForm(
        {
            "username": given["username"],
            "board": pk_or_invalid(Board.objects.all(), slug=board) if board else "",
            "section": pk_or_invalid(Section.objects.all(), slug=section) if section else "",
        }
    )


def _where(data) -> str:
    return data["board"].name if data["board"] else data["section"].name


def _role_change(request, service, done: str, unchanged: str) -> Response:
    check_can_appoint_moderators(request.user)
    data = form_valid(_role_form(request.data))
    changed = service(
        user=data["username"],
        actor=request.user,
        board=data["board"],
        section=data["section"],
        ip=client_ip(request),
    )
    shown = {"user": data["username"].username, "where": _where(data)}
    return Response(
        s.RoleChangeOut(
            {"changed": changed, "detail": (done if changed else unchanged) % shown}
        ).data
    )


ROLE_DESCRIPTION = (
    "One `board` or one `section` (by slug) for the member named by `username`; `changed` "
    "is false when it was so already. Writes one audit row."
)


class ModeratorAppoint(SignedInView):
    @api_doc(
        tag=TAG,
        summary="Appoint a board or section moderator",
        permission=STAFF,
        request=s.ModeratorRoleIn,
        responses={200: s.RoleChangeOut},
        errors=(400, 403),
        description=ROLE_DESCRIPTION,
    )
    def post(self, request):
        return _role_change(
            request,
            services.moderator_add,
            _("%(user)s now moderates %(where)s."),
            _("%(user)s already moderates %(where)s."),
        )


class ModeratorRemove(SignedInView):
    @api_doc(
        tag=TAG,
        summary="Remove a board or section moderator",
        permission=STAFF,
        request=s.ModeratorRoleIn,
        responses={200: s.RoleChangeOut},
        errors=(400, 403),
        description=ROLE_DESCRIPTION,
    )
    def post(self, request):
        return _role_change(
            request,
            services.moderator_remove,
            _("%(user)s no longer moderates %(where)s."),
            _("%(user)s did not moderate %(where)s."),
        )


class GlobalModerators(_StaffList):
    serializer_class = s.MemberBriefOut

    def rows(self):
        return selectors.global_moderator_rows()

    @api_doc(
        tag=TAG,
        summary="Global moderators",
        permission=STAFF,
        responses={200: s.MemberBriefOut(many=True)},
        errors=(400, 403),
        description="They moderate every board and may suspend members.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @api_doc(
        tag=TAG,
        summary="Grant or revoke global moderator rights",
        permission=STAFF,
        request=s.GlobalModeratorIn,
        responses={200: s.RoleChangeOut},
        errors=(400, 403),
        description="`changed` is false when it was so already; staff cannot be made one. "
        "Writes one audit row.",
    )
    def post(self, request, *args, **kwargs):
        check_can_appoint_moderators(request.user)
        valid(s.GlobalModeratorIn, request.data)
        data = form_valid(GlobalModeratorForm(request.data))
        user, grant = data["username"], data["change"] == GlobalModeratorForm.GRANT
        service = services.global_moderator_grant if grant else services.global_moderator_revoke
        changed = service(user=user, actor=request.user, ip=client_ip(request))
        if grant:
            done, unchanged = _("%(user)s is a global moderator."), _("%(user)s is one already.")
        else:
            done, unchanged = (
                _("%(user)s is no longer a global moderator."),
                _("%(user)s was not a global moderator."),
            )
        detail = (done if changed else unchanged) % {"user": user.username}
        return Response(s.RoleChangeOut({"changed": changed, "detail": detail}).data)
