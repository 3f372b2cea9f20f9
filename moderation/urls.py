from django.urls import path

from . import views, views_programs

app_name = "moderation"

urlpatterns = [
    path("log/", views.audit_log, name="log"),
    path("t/<int:pk>/<slug:action>/", views.thread_action, name="thread_action"),
    path("p/<int:pk>/<slug:action>/", views.post_action, name="post_action"),
    path("b/<slug:slug>/bulk/", views.board_bulk, name="bulk"),
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
