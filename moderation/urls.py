from django.urls import path

from moderation.views import actions as views
from moderation.views import console as views_console
from moderation.views import programs as views_programs
from moderation.views import queues as views_queues
from moderation.views import sanctions as sanction_views

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
    path("console/", views_console.dashboard, name="console"),
    path("console/members/", views_console.members, name="console_members"),
    path("console/members/export/", views_console.members_export, name="console_export_start"),
    path("console/members/<int:pk>/", views_console.member_detail, name="console_member"),
    path(
        "console/members/<int:pk>/core-lock/",
        views_console.member_core_lock,
        name="console_core_lock",
    ),
    path("console/exports/<int:pk>/", views_console.export_detail, name="console_export"),
    path(
        "console/exports/<int:pk>/download/<str:token>/",
        views_console.export_download,
        name="console_export_download",
    ),
    path("programs/", views_programs.program_list, name="programs"),
    path("programs/new/", views_programs.program_create, name="program_create"),
    path("programs/<int:pk>/", views_programs.program_detail, name="program"),
    path("programs/<int:pk>/edit/", views_programs.program_edit, name="program_edit"),
    path("programs/<int:pk>/invite/", views_programs.program_invite, name="program_invite"),
    path(
        "programs/<int:pk>/invite-selected/",
        views_programs.program_invite_selected,
        name="program_invite_selected",
    ),
    path(
        "programs/<int:pk>/invite-all/",
        views_programs.program_invite_all,
        name="program_invite_all",
    ),
    path("programs/<int:pk>/flag/", views_programs.program_flag, name="program_flag"),
    path(
        "programs/<int:pk>/members/<int:membership_pk>/remove/",
        views_programs.program_remove,
        name="program_remove",
    ),
]
