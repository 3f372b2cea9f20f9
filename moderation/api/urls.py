"""Moderation's API addresses (tags moderation and staff), included by config.api under
/api/v1/."""

from django.urls import path

from moderation.api import medals, polls
from moderation.api.views import (
    actions,
    audit,
    console,
    exports,
    member_data,
    messages,
    moderators,
    queues,
    reports,
    sanctions,
    screening,
)

urlpatterns = [
    # A thread's poll closed by its author or a moderator.
    path("threads/<id:thread_id>/poll/close/", polls.PollClose.as_view(), name="poll_close"),
    # Staff's medals by hand.
    path(
        "staff/members/<id:member_id>/medals/",
        medals.StaffMemberMedals.as_view(),
        name="staff_member_medals",
    ),
    # A member reports a post.
    path("posts/<id:post_id>/report/", reports.PostReport.as_view(), name="post_report"),
    # Private messages: a participant's report; the queue, the audited read, closing.
    path(
        "messages/<id:message_id>/report/",
        messages.MessageReportCreate.as_view(),
        name="message_report",
    ),
    path(
        "moderation/message-reports/",
        messages.MessageReportQueue.as_view(),
        name="moderation_message_reports",
    ),
    path(
        "moderation/message-reports/<id:report_id>/",
        messages.ReportedMessage.as_view(),
        name="moderation_message_report",
    ),
    path(
        "moderation/message-reports/<id:report_id>/close/",
        messages.MessageReportClose.as_view(),
        name="moderation_message_report_close",
    ),
    path(
        "moderation/members/<str:username>/warning-message/",
        messages.WarningMessage.as_view(),
        name="moderation_warning_message",
    ),
    # Actions on threads and posts, and in bulk on a board's threads.
    *(
        path(
            f"moderation/threads/<id:thread_id>/{action}/",
            actions.thread_action(action),
            name=f"moderation_thread_{action.replace('-', '_')}",
        )
        for action in actions.THREAD_ACTIONS
    ),
    *(
        path(
            f"moderation/posts/<id:post_id>/{action}/",
            actions.post_action(action),
            name=f"moderation_post_{action}",
        )
        for action in actions.POST_ACTIONS
    ),
    path(
        "moderation/boards/<slug:slug>/bulk/", actions.BoardBulk.as_view(), name="moderation_bulk"
    ),
    # The queues.
    path("moderation/queues/", queues.QueueCounts.as_view(), name="moderation_queues"),
    path("moderation/reports/", queues.ReportQueue.as_view(), name="moderation_reports"),
    path(
        "moderation/reports/<id:case_id>/resolve/",
        queues.ReportResolve.as_view(),
        name="moderation_report_resolve",
    ),
    path("moderation/approvals/", queues.ApprovalQueue.as_view(), name="moderation_approvals"),
    path(
        "moderation/approvals/<id:post_id>/approve/",
        queues.ApprovalApprove.as_view(),
        name="moderation_approve",
    ),
    path(
        "moderation/approvals/<id:post_id>/reject/",
        queues.ApprovalReject.as_view(),
        name="moderation_reject",
    ),
    # A member: state, history, sanctions.
    path(
        "moderation/members/<str:username>/",
        sanctions.MemberModeration.as_view(),
        name="moderation_member",
    ),
    path(
        "moderation/members/<str:username>/sanctions/",
        sanctions.MemberSanctions.as_view(),
        name="moderation_member_sanctions",
    ),
    path(
        "moderation/members/<str:username>/actions/",
        sanctions.MemberActions.as_view(),
        name="moderation_member_actions",
    ),
    path(
        "moderation/members/<str:username>/reports/",
        sanctions.MemberReports.as_view(),
        name="moderation_member_reports",
    ),
    *(
        path(
            f"moderation/members/<str:username>/{action}/",
            sanctions.sanction(action),
            name=f"moderation_member_{action.replace('-', '_')}",
        )
        for action in sanctions.SANCTIONS
    ),
    # The log.
    path("moderation/log/", audit.AuditLog.as_view(), name="moderation_log"),
    # Appointments.
    path(
        "moderation/moderators/boards/",
        moderators.BoardModerators.as_view(),
        name="moderation_board_moderators",
    ),
    path(
        "moderation/moderators/sections/",
        moderators.SectionModerators.as_view(),
        name="moderation_section_moderators",
    ),
    path(
        "moderation/moderators/global/",
        moderators.GlobalModerators.as_view(),
        name="moderation_global_moderators",
    ),
    path(
        "moderation/moderators/appoint/",
        moderators.ModeratorAppoint.as_view(),
        name="moderation_moderator_appoint",
    ),
    path(
        "moderation/moderators/remove/",
        moderators.ModeratorRemove.as_view(),
        name="moderation_moderator_remove",
    ),
    # Watched words and bans.
    path(
        "moderation/watched-words/",
        screening.WatchedWords.as_view(),
        name="moderation_watched_words",
    ),
    path(
        "moderation/watched-words/<id:word_id>/",
        screening.WatchedWordDetail.as_view(),
        name="moderation_watched_word",
    ),
    path(
        "moderation/banned-networks/",
        screening.BannedNetworks.as_view(),
        name="moderation_banned_networks",
    ),
    path(
        "moderation/banned-networks/<id:network_id>/",
        screening.BannedNetworkDetail.as_view(),
        name="moderation_banned_network",
    ),
    path(
        "moderation/banned-domains/",
        screening.BannedDomains.as_view(),
        name="moderation_banned_domains",
    ),
    path(
        "moderation/banned-domains/<id:domain_id>/",
        screening.BannedDomainDetail.as_view(),
        name="moderation_banned_domain",
    ),
    # Staff: the console and exports.
    path("staff/dashboard/", console.Dashboard.as_view(), name="staff_dashboard"),
    path("staff/actives/", console.Actives.as_view(), name="staff_actives"),
    path("staff/members/", console.Members.as_view(), name="staff_members"),
    path("staff/members/count/", console.MemberCount.as_view(), name="staff_member_count"),
    path("staff/members/<id:member_id>/", console.MemberDetail.as_view(), name="staff_member"),
    path(
        "staff/members/<id:member_id>/core-flag-history/",
        console.CoreFlagHistory.as_view(),
        name="staff_core_flag_history",
    ),
    path(
        "staff/members/<id:member_id>/core-lock/",
        console.CoreLock.as_view(),
        name="staff_core_lock",
    ),
    path(
        "staff/members/<id:member_id>/archive/",
        member_data.StaffMemberArchive.as_view(),
        name="staff_member_archive",
    ),
    path(
        "staff/members/<id:member_id>/delete/",
        member_data.StaffMemberDelete.as_view(),
        name="staff_member_delete",
    ),
    path("me/archives/", member_data.MyArchives.as_view(), name="my_archives"),
    path("me/delete/", member_data.MyAccountDelete.as_view(), name="my_account_delete"),
    path("staff/exports/", exports.Exports.as_view(), name="staff_exports"),
    path("staff/exports/<id:export_id>/", exports.ExportDetail.as_view(), name="staff_export"),
    path(
        "staff/exports/<id:export_id>/download/<str:token>/",
        exports.ExportDownload.as_view(),
        name="staff_export_download",
    ),
]
