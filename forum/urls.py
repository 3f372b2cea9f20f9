from django.urls import path

from . import feeds
from .views import (
    attachments,
    boards,
    editing,
    likes,
    members,
    posting,
    reading,
    search,
    threads,
    watching,
)

app_name = "forum"

urlpatterns = [
    path("", boards.index, name="index"),
    path("search/", search.search_page, name="search"),
    path("feeds/latest/", feeds.LatestThreadsFeed(), name="feed_latest"),
    path("b/<slug:slug>/", boards.board_detail, name="board"),
    path("b/<slug:slug>/feed/", feeds.BoardFeed(), name="board_feed"),
    path("b/<slug:slug>/new/", threads.thread_create, name="thread_create"),
    path("b/<slug:slug>/mark-read/", reading.board_mark_read, name="board_mark_read"),
    path("b/<slug:slug>/watch/", watching.board_watch, name="board_watch"),
    path("b/<slug:slug>/unwatch/", watching.board_unwatch, name="board_unwatch"),
    path("t/<int:pk>/", threads.thread_short, name="thread_short"),
    path("t/<int:pk>/feed/", feeds.ThreadFeed(), name="thread_feed"),
    path("t/<int:pk>-<str:slug>/", threads.thread_detail, name="thread"),
    path("t/<int:pk>/<int:floor>", threads.floor_redirect, name="floor"),
    path("t/<int:pk>/reply/", posting.reply_create, name="reply"),
    path("t/<int:pk>/quote/<int:post_id>/", posting.reply_quote, name="quote"),
    path("p/<int:post_id>/like/", likes.post_like, name="post_like"),
    path("p/<int:post_id>/unlike/", likes.post_unlike, name="post_unlike"),
    path("p/<int:post_id>/likes/", likes.post_likers, name="post_likers"),
    path("t/<int:pk>/unread/", reading.thread_unread, name="thread_unread"),
    path("t/<int:pk>/watch/", watching.thread_watch, name="thread_watch"),
    path("t/<int:pk>/unwatch/", watching.thread_unwatch, name="thread_unwatch"),
    path("p/<int:pk>/", threads.post_permalink, name="post"),
    path("u/<str:username>/", members.member_profile, name="member"),
    path("p/<int:post_id>/edit/", editing.post_edit, name="post_edit"),
    path("p/<int:post_id>/revisions/", editing.post_revisions, name="post_revisions"),
    path("a/<int:pk>/", attachments.attachment_download, name="attachment"),
]
