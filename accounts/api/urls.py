"""Accounts' API addresses, included by config.api under /api/v1/."""

from django.urls import path

from accounts.api import blocking, medals, views

urlpatterns = [
    # members
    path("members/", views.MemberList.as_view(), name="members"),
    path("members/<str:username>/", views.MemberProfile.as_view(), name="member"),
    path("me/", views.MyProfile.as_view(), name="me"),
    path("me/avatar/", views.MyAvatar.as_view(), name="my_avatar"),
    path(
        "me/notification-settings/",
        views.MyNotificationSettings.as_view(),
        name="my_notification_settings",
    ),
    # blocks
    path("blocks/", blocking.BlockList.as_view(), name="blocks"),
    path("blocks/<str:username>/", blocking.BlockDetail.as_view(), name="block"),
    # medals and cities
    path("medals/", medals.MedalList.as_view(), name="medals"),
    path("members/<str:username>/medals/", medals.MemberMedalList.as_view(), name="member_medals"),
    path("me/medals/shown/", medals.MyShownMedals.as_view(), name="my_shown_medals"),
    path("cities/", medals.CityList.as_view(), name="cities"),
    path("me/city/", medals.MyCity.as_view(), name="my_city"),
    # notifications
    path("notifications/", views.NotificationList.as_view(), name="notifications"),
    path("notifications/unread-count/", views.UnreadCount.as_view(), name="unread_count"),
    path("me/counts/", views.MeCounts.as_view(), name="me_counts"),
    path("notifications/read-all/", views.NotificationReadAll.as_view(), name="read_all"),
    path(
        "notifications/<id:notification_id>/read/",
        views.NotificationRead.as_view(),
        name="notification_read",
    ),
    # reputation
    path("reputation/ledger/", views.MyLedger.as_view(), name="my_ledger"),
    path("members/<str:username>/ledger/", views.MemberLedger.as_view(), name="member_ledger"),
    path("reputation/levels/", views.Levels.as_view(), name="levels"),
    path("reputation/check-in/", views.CheckIn.as_view(), name="check_in"),
    path("reputation/streak/", views.Streak.as_view(), name="streak"),
    # invitations
    path("invitations/", views.Invitations.as_view(), name="invitations"),
    path("invitations/quota/", views.InvitationQuota.as_view(), name="invitation_quota"),
    path("invitations/check/", views.InvitationCheck.as_view(), name="invitation_check"),
    path("invitations/invitees/", views.Invitees.as_view(), name="invitees"),
    path("invitations/<id:code_id>/send/", views.InvitationSend.as_view(), name="invitation_send"),
    path(
        "invitations/<id:code_id>/revoke/",
        views.InvitationRevoke.as_view(),
        name="invitation_revoke",
    ),
    # programs (the member's side; the staff's is moderation.api)
    path("programs/", views.ProgramList.as_view(), name="programs"),
    path("programs/cooling-off/", views.MyCoolingOff.as_view(), name="program_cooling_off"),
    path("programs/open/", views.OpenPrograms.as_view(), name="programs_open"),
    path("programs/applications/", views.MyApplications.as_view(), name="program_applications"),
    path(
        "programs/<id:program_id>/application-form/",
        views.ProgramApplicationForm.as_view(),
        name="program_application_form",
    ),
    path("programs/<id:program_id>/apply/", views.ProgramApply.as_view(), name="program_apply"),
    path(
        "programs/<id:program_id>/progress/",
        views.MyProgramProgress.as_view(),
        name="program_progress",
    ),
    path(
        "programs/invitations/",
        views.MyProgramInvitations.as_view(),
        name="program_invitations",
    ),
    path(
        "programs/invitations/<slug:code>/",
        views.MyProgramInvitation.as_view(),
        name="program_invitation",
    ),
    path(
        "programs/invitations/<slug:code>/accept/",
        views.ProgramAccept.as_view(),
        name="program_accept",
    ),
    path(
        "programs/invitations/<slug:code>/decline/",
        views.ProgramDecline.as_view(),
        name="program_decline",
    ),
    path("programs/<id:program_id>/", views.ProgramDetail.as_view(), name="program"),
    path("programs/<id:program_id>/leave/", views.ProgramLeave.as_view(), name="program_leave"),
]
