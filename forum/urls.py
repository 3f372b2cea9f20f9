from django.urls import path

from . import views

app_name = "forum"

urlpatterns = [
    path("", views.index, name="index"),
    path("b/<slug:slug>/", views.board_detail, name="board"),
    path("b/<slug:slug>/new/", views.thread_create, name="thread_create"),
    path("t/<int:pk>/", views.thread_short, name="thread_short"),
    path("t/<int:pk>-<str:slug>/", views.thread_detail, name="thread"),
    path("t/<int:pk>/<int:floor>", views.floor_redirect, name="floor"),
    path("t/<int:pk>/reply/", views.reply_create, name="reply"),
    path("u/<str:username>/", views.member_profile, name="member"),
]
