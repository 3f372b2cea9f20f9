from django.urls import path

from . import sanction_views, views

app_name = "moderation"

urlpatterns = [
    path("log/", views.audit_log, name="log"),
    path("t/<int:pk>/<slug:action>/", views.thread_action, name="thread_action"),
    path("p/<int:pk>/<slug:action>/", views.post_action, name="post_action"),
    path("b/<slug:slug>/bulk/", views.board_bulk, name="bulk"),
    path("u/<str:username>/", sanction_views.member_page, name="member"),
    path("u/<str:username>/<slug:action>/", sanction_views.member_action, name="member_action"),
]
