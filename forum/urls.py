from django.urls import path

from .views import browse, reading, watching

app_name = "forum"

urlpatterns = [
    path("", browse.index, name="index"),
    path("b/<slug:slug>/", browse.board_detail, name="board"),
    path("b/<slug:slug>/new/", browse.thread_create, name="thread_create"),
    path("b/<slug:slug>/mark-read/", reading.board_mark_read, name="board_mark_read"),
    path("b/<slug:slug>/watch/", watching.board_watch, name="board_watch"),
    path("b/<slug:slug>/unwatch/", watching.board_unwatch, name="board_unwatch"),
    path("t/<int:pk>/", browse.thread_short, name="thread_short"),
    path("t/<int:pk>-<str:slug>/", browse.thread_detail, name="thread"),
    path("t/<int:pk>/<int:floor>", browse.floor_redirect, name="floor"),
    path("t/<int:pk>/reply/", browse.reply_create, name="reply"),
    path("t/<int:pk>/unread/", reading.thread_unread, name="thread_unread"),
    path("t/<int:pk>/watch/", watching.thread_watch, name="thread_watch"),
    path("t/<int:pk>/unwatch/", watching.thread_unwatch, name="thread_unwatch"),
    path("u/<str:username>/", browse.member_profile, name="member"),
]
