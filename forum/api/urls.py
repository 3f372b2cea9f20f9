"""The forum's API addresses, included by config.api under /api/v1/."""

from django.urls import path

from forum.api import drafts, meetups, messages, polls, triage, views

urlpatterns = [
    # boards
    path("sections/", views.SectionList.as_view(), name="sections"),
    path("announcements/", views.AnnouncementList.as_view(), name="announcements"),
    path("devices/", views.DeviceList.as_view(), name="devices"),
    path("firmware-channels/", views.FirmwareChannelList.as_view(), name="firmware_channels"),
    path("boards/<slug:board_slug>/", views.BoardDetail.as_view(), name="board"),
    path(
        "boards/<slug:board_slug>/threads/", views.BoardThreadList.as_view(), name="board_threads"
    ),
    path("boards/<slug:board_slug>/watch/", views.BoardWatch.as_view(), name="board_watch"),
    path("boards/<slug:board_slug>/read/", views.BoardRead.as_view(), name="board_read"),
    # threads
    path("threads/", views.LatestThreadList.as_view(), name="threads"),
    path("threads/hot/", views.HotThreadList.as_view(), name="hot_threads"),
    path("threads/<id:thread_id>/", views.ThreadDetail.as_view(), name="thread"),
    path(
        "threads/<id:thread_id>/new-replies/",
        views.ThreadNewReplies.as_view(),
        name="thread_new_replies",
    ),
    path("threads/<id:thread_id>/watch/", views.ThreadWatchView.as_view(), name="thread_watch"),
    path("threads/<id:thread_id>/read/", views.ThreadRead.as_view(), name="thread_read"),
    path(
        "threads/<id:thread_id>/first-unread/",
        views.ThreadFirstUnread.as_view(),
        name="thread_first_unread",
    ),
    path("threads/<id:thread_id>/me-too/", triage.ThreadVoteView.as_view(), name="thread_vote"),
    path("threads/<id:thread_id>/poll/", polls.ThreadPollView.as_view(), name="thread_poll"),
    path("threads/<id:thread_id>/poll/vote/", polls.PollVoteView.as_view(), name="poll_vote"),
    path("threads/<id:thread_id>/poll/voters/", polls.PollVoterList.as_view(), name="poll_voters"),
    path("similar-threads/", triage.SimilarThreads.as_view(), name="similar_threads"),
    path("triage/", triage.TriageDevices.as_view(), name="triage_devices"),
    path("triage/<slug:codename>/", triage.TriageDevice.as_view(), name="triage_device"),
    # posts
    path("threads/<id:thread_id>/posts/", views.ThreadPostList.as_view(), name="thread_posts"),
    path("posts/<id:post_id>/", views.PostDetail.as_view(), name="post"),
    path("posts/<id:post_id>/revisions/", views.PostRevisionList.as_view(), name="post_revisions"),
    path("posts/<id:post_id>/like/", views.PostLikeView.as_view(), name="post_like"),
    path("posts/<id:post_id>/likers/", views.PostLikerList.as_view(), name="post_likers"),
    path(
        "attachments/<id:attachment_id>/",
        views.AttachmentDownload.as_view(),
        name="attachment",
    ),
    # meetups
    path("meetups/", meetups.MeetupList.as_view(), name="meetups"),
    path("boards/<slug:board_slug>/meetups/", meetups.MeetupCreate.as_view(), name="meetup_create"),
    path("meetups/<id:event_id>/", meetups.MeetupDetail.as_view(), name="meetup"),
    path("meetups/<id:event_id>/signup/", meetups.MeetupSignup.as_view(), name="meetup_signup"),
    path(
        "meetups/<id:event_id>/check-in/", meetups.MeetupCheckIn.as_view(), name="meetup_check_in"
    ),
    path(
        "meetups/<id:event_id>/signups/", meetups.MeetupSignupList.as_view(), name="meetup_signups"
    ),
    # search
    path("search/", views.Search.as_view(), name="search"),
    # private messages and bookmarks
    path("conversations/", messages.ConversationList.as_view(), name="conversations"),
    path(
        "conversations/unread-count/",
        messages.UnreadConversations.as_view(),
        name="conversations_unread",
    ),
    path(
        "conversations/<id:conversation_id>/",
        messages.ConversationDetail.as_view(),
        name="conversation",
    ),
    path(
        "conversations/<id:conversation_id>/messages/",
        messages.ConversationMessages.as_view(),
        name="conversation_messages",
    ),
    path(
        "conversations/<id:conversation_id>/read/",
        messages.ConversationRead.as_view(),
        name="conversation_read",
    ),
    path(
        "conversations/<id:conversation_id>/leave/",
        messages.ConversationLeave.as_view(),
        name="conversation_leave",
    ),
    # drafts and the preview
    path("drafts/", drafts.DraftList.as_view(), name="drafts"),
    path("boards/<slug:board_slug>/draft/", drafts.BoardDraft.as_view(), name="board_draft"),
    path("threads/<id:thread_id>/draft/", drafts.ThreadDraft.as_view(), name="thread_draft"),
    path("preview/", drafts.Preview.as_view(), name="preview"),
    path("bookmarks/", messages.BookmarkList.as_view(), name="bookmarks"),
    path("bookmarks/<id:post_id>/", messages.BookmarkDetail.as_view(), name="bookmark"),
]
