"""Moderation pages for every member (reporting a post), outside the moderators' /mod/."""

from django.urls import path

from moderation.views import queues as views_queues

app_name = "reports"

urlpatterns = [
    path("p/<int:post_id>/report/", views_queues.report_post, name="report"),
]
