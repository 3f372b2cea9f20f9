from django.urls import path

from .views import browse

app_name = "forum"

urlpatterns = [
    path("", browse.index, name="index"),
    path("b/<slug:slug>/", browse.board_detail, name="board"),
    path("b/<slug:slug>/new/", browse.thread_create, name="thread_create"),
    path("t/<int:pk>/", browse.thread_short, name="thread_short"),
    path("t/<int:pk>-<str:slug>/", browse.thread_detail, name="thread"),
    path("t/<int:pk>/<int:floor>", browse.floor_redirect, name="floor"),
    path("t/<int:pk>/reply/", browse.reply_create, name="reply"),
    path("p/<int:pk>/", browse.post_permalink, name="post"),
    path("u/<str:username>/", browse.member_profile, name="member"),
]
