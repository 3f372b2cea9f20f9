from django.urls import path

from . import feeds
from .views import browse, editing, files, reading, search, social, watching

app_name = "forum"

urlpatterns = [
    path("", browse.index, name="index"),
    path("search/", search.search_page, name="search"),
    path("feeds/latest/", feeds.LatestThreadsFeed(), name="feed_latest"),
    path("b/<slug:slug>/", browse.board_detail, name="board"),
    path("b/<slug:slug>/feed/", feeds.BoardFeed(), name="board_feed"),
    path("b/<slug:slug>/new/", browse.thread_create, name="thread_create"),
    path("b/<slug:slug>/mark-read/", reading.board_mark_read, name="board_mark_read"),
    path("b/<slug:slug>/watch/", watching.board_watch, name="board_watch"),
    path("b/<slug:slug>/unwatch/", watching.board_unwatch, name="board_unwatch"),
    path("t/<int:pk>/", browse.thread_short, name="thread_short"),
    path("t/<int:pk>/feed/", feeds.ThreadFeed(), name="thread_feed"),
    path("t/<int:pk>-<str:slug>/", browse.thread_detail, name="thread"),
    path("t/<int:pk>/<int:floor>", browse.floor_redirect, name="floor"),
    path("t/<int:pk>/reply/", browse.reply_create, name="reply"),
    path("t/<int:pk>/quote/<int:post_id>/", social.reply_quote, name="quote"),
    path("p/<int:post_id>/like/", social.post_like, name="post_like"),
    path("p/<int:post_id>/unlike/", social.post_unlike, name="post_unlike"),
    path("p/<int:post_id>/likes/", social.post_likers, name="post_likers"),
    path("t/<int:pk>/unread/", reading.thread_unread, name="thread_unread"),
    path("t/<int:pk>/watch/", watching.thread_watch, name="thread_watch"),
    path("t/<int:pk>/unwatch/", watching.thread_unwatch, name="thread_unwatch"),
    path("p/<int:pk>/", browse.post_permalink, name="post"),
    path("u/<str:username>/", browse.member_profile, name="member"),
    path("p/<int:post_id>/edit/", editing.post_edit, name="post_edit"),
    path("p/<int:post_id>/revisions/", editing.post_revisions, name="post_revisions"),
    path("a/<int:pk>/", files.attachment_download, name="attachment"),
]
