from django.urls import path

from . import sanction_views, views, views_queues

app_name = "moderation"

urlpatterns = [
    path("log/", views.audit_log, name="log"),
    path("t/<int:pk>/<slug:action>/", views.thread_action, name="thread_action"),
    path("p/<int:pk>/<slug:action>/", views.post_action, name="post_action"),
    path("b/<slug:slug>/bulk/", views.board_bulk, name="bulk"),
    path("u/<str:username>/", sanction_views.member_page, name="member"),
    path("u/<str:username>/<slug:action>/", sanction_views.member_action, name="member_action"),
    path("reports/", views_queues.report_queue, name="reports"),
    path("reports/<int:case_id>/resolve/", views_queues.report_resolve, name="report_resolve"),
    path("approval/", views_queues.approval_queue, name="approvals"),
    path(
        "approval/<int:post_id>/<slug:action>/",
        views_queues.approval_action,
        name="approval_action",
    ),
    path("queues/badge/", views_queues.queue_badge, name="queue_badge"),
]
