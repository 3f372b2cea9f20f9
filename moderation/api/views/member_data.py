"""A member's data over the API (moderation.views.member_data): their archive, asked for
and listed, and deleting their account with their password; staff do both at a
member's request, audited."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from rest_framework import serializers
from rest_framework.response import Response

from accounts import services as accounts_services
from accounts.models import MemberArchive, User
from config.api_schema import api_doc
from config.http import client_ip
from moderation import services
from moderation.api.views._common import STAFF_TAG, SignedInView, body, form_valid
from moderation.forms.member_data import DeleteMemberForm, DeleteOwnAccountForm
from moderation.selectors.member_data import member_archives

MEMBERS_TAG = "members"
SELF = "The member themselves."
STAFF = "Staff, at the member's request (not on other staff). Audited."


class ArchiveOut(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    download_url = serializers.SerializerMethodField()
    download_expires_in = serializers.SerializerMethodField()

    class Meta:
        model = MemberArchive
        fields = ["id", "status", "status_label", "size", "created_at", "finished_at"]
        fields += ["download_url", "download_expires_in"]

    def get_download_url(self, archive) -> str | None:
        """A signed link that expires; it serves the ZIP to the member (or staff)."""
        if archive.status != MemberArchive.Status.READY:
            return None
        path = reverse("member_data:download", args=[accounts_services.archive_token(archive)])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else f"{settings.SITE_URL}{path}"

    def get_download_expires_in(self, archive) -> int | None:
        """Seconds the link stays valid."""
        if archive.status != MemberArchive.Status.READY:
            return None
        return settings.POPCORN["MEMBER_ARCHIVE_DAYS"] * 24 * 3600


class DeleteOwnIn(serializers.Serializer):
    password = serializers.CharField(help_text="The member's password.")
    confirm = serializers.BooleanField(help_text="true: the account is erased for good.")


class DeleteMemberIn(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="The member's request.")
    confirm = serializers.BooleanField()


class DeletedOut(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField(help_text="deleted-<id>: the name the posts now show.")


def _archives_response(request, member, archive, created):
    data = ArchiveOut(archive, context={"request": request}).data
    return Response(data, status=202 if created else 200)


class MyArchives(SignedInView):
    @api_doc(
        tag=MEMBERS_TAG,
        summary="My data archives",
        permission=SELF,
        responses={200: ArchiveOut(many=True)},
        description="The latest five, newest first; a ready one has its `download_url`.",
    )
    def get(self, request):
        archives = member_archives(request.user)
        return Response(ArchiveOut(archives, many=True, context={"request": request}).data)

    @api_doc(
        tag=MEMBERS_TAG,
        summary="Prepare an archive of my data",
        permission=SELF,
        responses={202: ArchiveOut, 200: ArchiveOut},
        description=(
            "A job writes a ZIP of JSON files (profile, posts, likes, reputation, check-ins, "
            "invitations, programmes); 200 with the archive already being prepared."
        ),
    )
    def post(self, request):
        archive, created = services.member_archive_request(
            actor=request.user, member=request.user, ip=client_ip(request)
        )
        return _archives_response(request, request.user, archive, created)


class MyAccountDelete(SignedInView):
    @api_doc(
        tag=MEMBERS_TAG,
        summary="Delete my account",
        permission=SELF,
        request=DeleteOwnIn,
        responses={200: DeletedOut},
        errors=(400,),
        description=(
            "Erases the profile, email, avatar, devices and settings and ends every session "
            "(this token too); posts stay, by deleted-<id>. Audited."
        ),
    )
    def post(self, request):
        form_valid(DeleteOwnAccountForm(body(request), member=request.user))
        member = services.member_delete(
            actor=request.user, member=request.user, ip=client_ip(request)
        )
        return Response({"id": member.pk, "username": member.username})


class StaffMemberArchive(SignedInView):
    @api_doc(
        tag=STAFF_TAG,
        summary="Prepare a member's data archive",
        permission=STAFF,
        responses={202: ArchiveOut, 200: ArchiveOut},
        errors=(403, 404),
    )
    def post(self, request, member_id):
        member = get_object_or_404(User, pk=member_id)
        archive, created = services.member_archive_request(
            actor=request.user, member=member, ip=client_ip(request)
        )
        return _archives_response(request, member, archive, created)


class StaffMemberDelete(SignedInView):
    @api_doc(
        tag=STAFF_TAG,
        summary="Delete a member's account",
        permission=STAFF,
        request=DeleteMemberIn,
        responses={200: DeletedOut},
        errors=(400, 403, 404),
    )
    def post(self, request, member_id):
        member = get_object_or_404(User, pk=member_id)
        data = form_valid(DeleteMemberForm(body(request)))
        member = services.member_delete(
            actor=request.user, member=member, reason=data["reason"], ip=client_ip(request)
        )
        return Response({"id": member.pk, "username": member.username})
