"""The member-threads address (forum.api.members), included by config.api under /api/v1/."""

from django.urls import path

from forum.api import members

urlpatterns = [
    path("members/<str:username>/threads/", members.MemberThreads.as_view(), name="member_threads"),
]
