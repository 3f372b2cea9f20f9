"""The API of my block list."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from rest_framework import serializers
from rest_framework import status as http
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts import selectors, services
from accounts.models import User
from config.api_schema import api_doc
from config.api_views import ApiListView, ApiView

OWN = "Signed-in members (their own)."


class BlockOut(serializers.Serializer):
    username = serializers.CharField(source="blocked.username")
    created_at = serializers.DateTimeField()


class BlockIn(serializers.Serializer):
    username = serializers.CharField(max_length=150)


class BlockList(ApiListView):
    permission_classes = [IsAuthenticated]
    serializer_class = BlockOut
    ordering = ("-created_at", "-id")

    def get_queryset(self):
        return selectors.blocks_of(self.request.user)

    @api_doc(
        tag="blocks",
        summary="Members I blocked",
        permission=OWN,
        responses={200: BlockOut(many=True)},
        errors=(400,),
        description=(
            "Their posts fold away on thread pages; their mentions, replies, likes and "
            "messages do not reach me. Moderator warnings still do."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @api_doc(
        tag="blocks",
        summary="Block a member",
        permission=OWN,
        request=BlockIn,
        responses={201: BlockOut},
        errors=(400, 404),
        description="Blocking someone already blocked changes nothing (201 all the same).",
    )
    def post(self, request, *args, **kwargs):
        data = BlockIn(data=request.data)
        data.is_valid(raise_exception=True)
        member = get_object_or_404(User, username=data.validated_data["username"].lstrip("@"))
        services.block_add(blocker=request.user, blocked=member)
        block = selectors.blocks_of(request.user).get(blocked=member)
        return Response(BlockOut(block).data, status=http.HTTP_201_CREATED)


class BlockDetail(ApiView):
    permission_classes = [IsAuthenticated]

    @api_doc(
        tag="blocks",
        summary="Unblock a member",
        permission=OWN,
        responses={204: None},
        errors=(404,),
    )
    def delete(self, request, username):
        member = get_object_or_404(User, username=username)
        if not services.block_remove(blocker=request.user, blocked=member):
            raise Http404
        return Response(status=http.HTTP_204_NO_CONTENT)
