"""Reporting a post (every member, tag posts): here because the
report's write path is moderation's (forum may not import moderation)."""

from django.shortcuts import get_object_or_404
from rest_framework import permissions as drf_permissions
from rest_framework import status
from rest_framework.response import Response

from config.api_schema import api_doc
from config.api_views import ApiView
from forum.models import Post
from moderation import services
from moderation.api import serializers as s


class PostReport(ApiView):
    permission_classes = [drf_permissions.IsAuthenticated]

    @api_doc(
        tag="posts",
        summary="Report a post to the moderators",
        permission=(
            "Members who are not suspended, on a post they may read that is not theirs, "
            "not hidden and not awaiting approval; one report per post; a member with "
            "several recently dismissed reports waits (the page's rule)."
        ),
        request=s.PostReportIn,
        responses={201: s.PostReportOut},
        errors=(400, 404, 409),
    )
    def post(self, request, post_id):
        post = get_object_or_404(Post.objects.select_related("thread__board"), pk=post_id)
        data = s.PostReportIn(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.report_create(post=post, reporter=request.user, **data.validated_data)
        return Response(s.PostReportOut(report).data, status=status.HTTP_201_CREATED)
