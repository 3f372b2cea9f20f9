"""Moderation's API addresses, included by config.api under /api/v1/."""

from django.urls import path

from moderation.api import views

urlpatterns = [
    path("posts/<id:post_id>/report/", views.PostReport.as_view(), name="post_report"),
]
