"""The threads a member started, for their profile in the app (the profile itself is
accounts.api's): the same visibility rule as the profile page's list."""

from django.shortcuts import get_object_or_404

from accounts.models import User
from config.api_schema import api_doc
from config.api_views import ApiListView
from forum import selectors
from forum.api.serializers import ThreadOut


class MemberThreads(ApiListView):
    serializer_class = ThreadOut
    ordering = ("-created_at", "-id")

    def get_queryset(self):
        member = get_object_or_404(User, username=self.kwargs["username"])
        return selectors.user_threads(member, viewer=self.request.user).select_related("device")

    @api_doc(
        tag="members",
        summary="The threads a member started",
        permission="Anyone; only threads in boards the caller may read.",
        responses={200: ThreadOut(many=True)},
        errors=(400, 404),
        description="Newest first, as on the member's page: no hidden, pending or moved ones.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
