"""Staff's medals by hand over the API (tag "medals"): award one to a member, take one
back; each is moderation's audited verb, with its reason."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.api.medals import MemberMedalOut
from accounts.models import Medal, MemberMedal, User
from config.api_schema import api_doc
from config.api_views import ApiView
from config.http import client_ip
from config.ids import MAX_ID
from moderation import services
from moderation.permissions import can_award_medals

STAFF_ONLY = "Staff; anyone else gets a 403."


class MedalAwardIn(serializers.Serializer):
    medal_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    reason = serializers.CharField(max_length=300)


class StaffMemberMedals(ApiView):
    permission_classes = [IsAuthenticated]

    def _args(self, request, member_id):
        if not can_award_medals(request.user):
            raise PermissionDenied(_("Only staff award medals by hand."))
        member = get_object_or_404(User, pk=member_id)
        data = MedalAwardIn(data=request.data)
        data.is_valid(raise_exception=True)
        medal = get_object_or_404(Medal, pk=data.validated_data["medal_id"])
        return {
            "medal": medal,
            "user": member,
            "actor": request.user,
            "reason": data.validated_data["reason"],
            "ip": client_ip(request),
        }

    @api_doc(
        tag="staff",
        summary="Award a member a medal",
        permission=STAFF_ONLY,
        request=MedalAwardIn,
        responses={201: MemberMedalOut},
        errors=(400, 404),
        description="Written in the audit log with the reason; a 400 if they hold it already.",
    )
    def post(self, request, member_id):
        held = services.medal_award(**self._args(request, member_id))
        held = MemberMedal.objects.select_related("medal").get(pk=held.pk)
        return Response(
            MemberMedalOut(held, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @api_doc(
        tag="staff",
        summary="Take a medal back",
        permission=STAFF_ONLY,
        request=MedalAwardIn,
        responses={204: None},
        errors=(400, 404),
        description="Audited; a rule medal comes back at the next nightly run if still earned.",
    )
    def delete(self, request, member_id):
        services.medal_revoke(**self._args(request, member_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
