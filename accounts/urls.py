from django.urls import path

from . import views, views_programs

app_name = "accounts"

urlpatterns = [
    path("settings/profile/", views.profile_edit, name="profile_edit"),
    path("settings/notifications/", views.notification_settings, name="notification_settings"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path(
        "notifications/read-all/", views.notification_mark_all_read, name="notifications_read_all"
    ),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("early-access/", views_programs.program_list, name="programs"),
    path(
        "early-access/i/<str:code>/",
        views_programs.program_invitation,
        name="program_invitation",
    ),
    path("early-access/i/<str:code>/accept/", views_programs.program_accept, name="program_accept"),
    path(
        "early-access/i/<str:code>/decline/",
        views_programs.program_decline,
        name="program_decline",
    ),
    path("early-access/p/<slug:slug>/leave/", views_programs.program_leave, name="program_leave"),
]
