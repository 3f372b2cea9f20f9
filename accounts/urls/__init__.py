from django.urls import path, re_path

from accounts.views import (
    blocking,
    checkin,
    invitations,
    languages,
    live,
    medals,
    members,
    notifications,
    profiles,
    program_apply,
    programs,
    reputation,
)

app_name = "accounts"

urlpatterns = [
    path("i18n/setlang/", languages.language_switch, name="set_language"),
    path("settings/profile/", profiles.profile_edit, name="profile_edit"),
    path("settings/medals/", medals.medals_settings, name="medals"),
    path("settings/city/", medals.city_update, name="city_update"),
    path(
        "settings/notifications/",
        notifications.notification_settings,
        name="notification_settings",
    ),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("me/counts/", live.header_counts, name="header_counts"),
    path("notifications/<id:pk>/", notifications.notification_open, name="notification_open"),
    path(
        "notifications/read-all/",
        notifications.notification_mark_all_read,
        name="notifications_read_all",
    ),
    path("notifications/unsubscribe/<str:token>/", notifications.unsubscribe, name="unsubscribe"),
    path("check-in/", checkin.check_in_view, name="check_in"),
    path("settings/blocks/", blocking.block_list, name="blocks"),
    path("u/<str:username>/block/", blocking.block, name="block"),
    path("u/<str:username>/unblock/", blocking.unblock, name="unblock"),
    path("members/", members.member_list, name="members"),
    path("u/<str:username>/reputation/", reputation.ledger, name="ledger"),
    # /join/<code>, as shared, with or without a trailing slash.
    re_path(r"^join/(?P<code>[A-Za-z0-9-]{1,40})/?$", invitations.join, name="join"),
    path("settings/invitations/", invitations.invitation_list, name="invitations"),
    path(
        "settings/invitations/<id:pk>/send/",
        invitations.invitation_send,
        name="invitation_send",
    ),
    path(
        "settings/invitations/<id:pk>/revoke/",
        invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path("early-access/", programs.program_list, name="programs"),
    path(
        "early-access/i/<slug:code>/",
        programs.program_invitation,
        name="program_invitation",
    ),
    path("early-access/i/<slug:code>/accept/", programs.program_accept, name="program_accept"),
    path(
        "early-access/i/<slug:code>/decline/",
        programs.program_decline,
        name="program_decline",
    ),
    path("early-access/p/<slug:slug>/leave/", programs.program_leave, name="program_leave"),
    path("early-access/apply/", program_apply.programs_open, name="programs_open"),
    path("early-access/p/<slug:slug>/", program_apply.program_mine, name="program_mine"),
    path("early-access/p/<slug:slug>/apply/", program_apply.program_apply, name="program_apply"),
]
