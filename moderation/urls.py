from django.urls import path

from . import views, views_queues

app_name = "moderation"

urlpatterns = [
    path("log/", views.audit_log, name="log"),
    path("t/<int:pk>/<slug:action>/", views.thread_action, name="thread_action"),
    path("p/<int:pk>/<slug:action>/", views.post_action, name="post_action"),
    path("b/<slug:slug>/bulk/", views.board_bulk, name="bulk"),
    path("reports/", views_queues.report_queue, name="reports"),
    path("reports/<int:case_id>/resolve/", views_queues.report_resolve, name="report_resolve"),
    path("approval/", views_queues.approval_queue, name="approvals"),
    path(
        "approval/<int:post_id>/<slug:action>/",
        views_queues.approval_action,
        name="approval_action",
    ),
    path("users/<str:username>/", views_queues.member_history, name="member_history"),
    path("queues/badge/", views_queues.queue_badge, name="queue_badge"),
]
