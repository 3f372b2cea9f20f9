from django.urls import path

from . import views, views_console

app_name = "moderation"

urlpatterns = [
    path("log/", views.audit_log, name="log"),
    path("t/<int:pk>/<slug:action>/", views.thread_action, name="thread_action"),
    path("p/<int:pk>/<slug:action>/", views.post_action, name="post_action"),
    path("b/<slug:slug>/bulk/", views.board_bulk, name="bulk"),
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
]
