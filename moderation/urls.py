"""Moderation's URLs: the moderators' and staff's pages under /mod/ (namespace
"moderation"), and reporting a post, which every member does (namespace "reports")."""

from django.urls import include, path

from moderation.views import (
    actions,
    approvals,
    audit,
    console,
    exports,
    meetups,
    member_data,
    messages,
    moderators,
    polls,
    program_apply,
    programs,
    queues,
    reports,
    sanctions,
    screening,
)

moderator_patterns = [
    path("log/", audit.audit_log, name="log"),
    path("polls/<id:pk>/close/", polls.poll_close, name="poll_close"),
    path("t/<id:pk>/<slug:action>/", actions.thread_action, name="thread_action"),
    path("p/<id:pk>/<slug:action>/", actions.post_action, name="post_action"),
    path("b/<slug:slug>/bulk/", actions.board_bulk, name="bulk"),
    path("meetups/<id:pk>/export/", meetups.meetup_export, name="meetup_export"),
    path("u/<str:username>/medals/", meetups.member_medals, name="member_medals"),
    path("u/<str:username>/", sanctions.member_page, name="member"),
    path("u/<str:username>/<slug:action>/", sanctions.member_action, name="member_action"),
    path("reports/", reports.report_queue, name="reports"),
    path("messages/", messages.message_report_queue, name="message_reports"),
    path("messages/<id:report_id>/", messages.message_report_detail, name="message_report"),
    path("warn/<str:username>/", messages.warning_message, name="warning_message"),
    path("reports/<id:case_id>/resolve/", reports.report_resolve, name="report_resolve"),
    path("approval/", approvals.approval_queue, name="approvals"),
    path(
        "approval/<id:post_id>/<slug:action>/",
        approvals.approval_action,
        name="approval_action",
    ),
    path("queues/badge/", queues.queue_badge, name="queue_badge"),
    path("moderators/", moderators.moderator_list, name="moderators"),
    path("moderators/appoint/", moderators.moderator_appoint, name="moderator_appoint"),
    path("moderators/remove/", moderators.moderator_dismiss, name="moderator_remove"),
    path("moderators/global/", moderators.global_moderator_change, name="global_moderator"),
    path("words/", screening.watched_words, name="watched_words"),
    path("words/<id:pk>/edit/", screening.watched_word_edit, name="watched_word_edit"),
    path("words/<id:pk>/delete/", screening.watched_word_delete, name="watched_word_delete"),
    path("bans/", screening.bans, name="bans"),
    path("bans/networks/add/", screening.banned_network_add, name="banned_network_add"),
    path("bans/networks/<id:pk>/lift/", screening.banned_network_lift, name="banned_network_lift"),
    path("bans/domains/add/", screening.banned_domain_add, name="banned_domain_add"),
    path("bans/domains/<id:pk>/lift/", screening.banned_domain_lift, name="banned_domain_lift"),
    path("console/", console.dashboard, name="console"),
    path("console/members/", console.members, name="console_members"),
    path("console/members/export/", exports.members_export, name="console_export_start"),
    path("console/members/<id:pk>/", console.member_detail, name="console_member"),
    path(
        "console/members/<id:pk>/archive/",
        member_data.staff_archive_request,
        name="console_member_archive",
    ),
    path(
        "console/members/<id:pk>/delete/",
        member_data.staff_account_delete,
        name="console_member_delete",
    ),
    path(
        "console/members/<id:pk>/core-lock/",
        console.member_core_lock,
        name="console_core_lock",
    ),
    path("console/exports/<id:pk>/", exports.export_detail, name="console_export"),
    path(
        "console/exports/<id:pk>/progress/",
        exports.export_progress,
        name="console_export_progress",
    ),
    path(
        "console/exports/<id:pk>/download/<str:token>/",
        exports.export_download,
        name="console_export_download",
    ),
    path("programs/", programs.program_list, name="programs"),
    path("programs/new/", programs.program_create, name="program_create"),
    path("programs/<id:pk>/", programs.program_detail, name="program"),
    path("programs/<id:pk>/edit/", programs.program_edit, name="program_edit"),
    path("programs/<id:pk>/invite/", programs.program_invite, name="program_invite"),
    path(
        "programs/<id:pk>/invite-selected/",
        programs.program_invite_selected,
        name="program_invite_selected",
    ),
    path(
        "programs/<id:pk>/invite-all/",
        programs.program_invite_all,
        name="program_invite_all",
    ),
    path("programs/<id:pk>/flag/", programs.program_flag, name="program_flag"),
    path(
        "programs/<id:pk>/application-rules/",
        program_apply.program_apply_rules,
        name="program_apply_rules",
    ),
    path(
        "programs/<id:pk>/applications/",
        program_apply.program_applications,
        name="program_applications",
    ),
    path(
        "programs/<id:pk>/applications/<id:application_pk>/accept/",
        program_apply.program_application_accept,
        name="program_application_accept",
    ),
    path(
        "programs/<id:pk>/applications/<id:application_pk>/reject/",
        program_apply.program_application_reject,
        name="program_application_reject",
    ),
    path(
        "programs/<id:pk>/members/<id:membership_pk>/remove/",
        programs.program_remove,
        name="program_remove",
    ),
]

# Every member's: reporting a post, outside /mod/.
member_patterns = [
    path("p/<id:post_id>/report/", reports.report_post, name="report"),
    path("messages/m/<id:message_id>/report/", messages.message_report, name="message_report"),
]

# Every member's own data: the archive and deleting the account.
member_data_patterns = [
    path("", member_data.my_data, name="mine"),
    path("archive/", member_data.my_archive_request, name="archive"),
    path("archive/<str:token>/", member_data.archive_download, name="download"),
    path("delete/", member_data.my_account_delete, name="delete"),
]

urlpatterns = [
    path("mod/", include((moderator_patterns, "moderation"))),
    path("settings/data/", include((member_data_patterns, "member_data"))),
    path("", include((member_patterns, "reports"))),
]
