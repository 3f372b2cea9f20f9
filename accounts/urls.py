from django.urls import path, re_path

from . import views, views_invitations, views_programs, views_reputation

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
    path("check-in/", views_reputation.check_in_view, name="check_in"),
    path("members/", views_reputation.member_list, name="members"),
    path("u/<str:username>/reputation/", views_reputation.ledger, name="ledger"),
    # /join/<code>, as shared, with or without a trailing slash.
    re_path(r"^join/(?P<code>[A-Za-z0-9-]{1,40})/?$", views_invitations.join, name="join"),
    path("settings/invitations/", views_invitations.invitation_list, name="invitations"),
    path(
        "settings/invitations/<int:pk>/send/",
        views_invitations.invitation_send,
        name="invitation_send",
    ),
    path(
        "settings/invitations/<int:pk>/revoke/",
        views_invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path("early-access/", views_programs.program_list, name="programs"),
    path(
        "early-access/i/<slug:code>/",
        views_programs.program_invitation,
        name="program_invitation",
    ),
    path(
        "early-access/i/<slug:code>/accept/", views_programs.program_accept, name="program_accept"
    ),
    path(
        "early-access/i/<slug:code>/decline/",
        views_programs.program_decline,
        name="program_decline",
    ),
    path("early-access/p/<slug:slug>/leave/", views_programs.program_leave, name="program_leave"),
]
