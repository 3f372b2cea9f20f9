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
    triage,
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
    path("t/<id:pk>/", threads.thread_short, name="thread_short"),
    path("t/<id:pk>/feed/", feeds.ThreadFeed(), name="thread_feed"),
    path("t/<id:pk>-<str:slug>/", threads.thread_detail, name="thread"),
    path("t/<id:pk>/<id:floor>", threads.floor_redirect, name="floor"),
    path("t/<id:pk>/reply/", posting.reply_create, name="reply"),
    path("t/<id:pk>/quote/<id:post_id>/", posting.reply_quote, name="quote"),
    path("p/<id:post_id>/like/", likes.post_like, name="post_like"),
    path("p/<id:post_id>/unlike/", likes.post_unlike, name="post_unlike"),
    path("p/<id:post_id>/likes/", likes.post_likers, name="post_likers"),
    path("t/<id:pk>/unread/", reading.thread_unread, name="thread_unread"),
    path("t/<id:pk>/me-too/", triage.thread_vote, name="thread_vote"),
    path("t/<id:pk>/me-too/undo/", triage.thread_unvote, name="thread_unvote"),
    path("triage/", triage.triage_index, name="triage"),
    path("triage/<slug:codename>/", triage.triage_device, name="triage_device"),
    path("similar-threads/", triage.similar_threads, name="similar_threads"),
    path("t/<id:pk>/watch/", watching.thread_watch, name="thread_watch"),
    path("t/<id:pk>/unwatch/", watching.thread_unwatch, name="thread_unwatch"),
    path("p/<id:pk>/", threads.post_permalink, name="post"),
    path("u/<str:username>/", members.member_profile, name="member"),
    path("p/<id:post_id>/edit/", editing.post_edit, name="post_edit"),
    path("p/<id:post_id>/revisions/", editing.post_revisions, name="post_revisions"),
    path("a/<id:pk>/", attachments.attachment_download, name="attachment"),
]
