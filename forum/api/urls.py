"""The forum's API addresses, included by config.api under /api/v1/."""

from django.urls import path

from forum.api import views

urlpatterns = [
    path("sections/", views.SectionList.as_view(), name="sections"),
    path("boards/<slug:slug>/threads/", views.BoardThreads.as_view(), name="board_threads"),
    path("threads/<int:thread_id>/posts/", views.ThreadPosts.as_view(), name="thread_posts"),
]
