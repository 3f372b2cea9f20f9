from django.urls import path

from . import views, views_reputation

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
]
