"""The moderation and staff operations in the schema: each is for a role, so each says
so (401 and 403 documented, the permission first), and each covers a page's capability
(the list below is every moderation page URL and the operation that does its work)."""

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

import moderation.urls

pytestmark = pytest.mark.django_db

PREFIXES = ("/api/v1/moderation/", "/api/v1/staff/")


@pytest.fixture(scope="module")
def operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method.upper(), path): operation
        for path, item in schema["paths"].items()
        if path.startswith(PREFIXES)
        for method, operation in item.items()
        if method in {"get", "post", "patch", "delete"}
    }


def test_every_moderation_and_staff_operation_is_for_a_role(operations):
    assert len(operations) >= 50
    for (method, path), operation in operations.items():
        where = f"{method} {path}"
        if path.startswith("/api/v1/staff/programs/"):
            tag = "programs"  # the staff side of the programs resource
        elif path.startswith("/api/v1/staff/"):
            tag = "staff"
        else:
            tag = "moderation"
        assert operation["tags"] == [tag], where
        assert {"401", "403"} <= set(operation["responses"]), where
        if "{" in path:
            assert "404" in operation["responses"], where


# Each page of moderation/urls.py (its URL name) and the operations that do its work.
PAGES = {
    "log": [("GET", "moderation/log/")],
    "thread_action": [
        ("POST", f"moderation/threads/{{thread_id}}/{action}/")
        for action in (
            "pin",
            "announce",
            "unpin",
            "lock",
            "unlock",
            "feature",
            "unfeature",
            "hide",
            "restore",
            "move",
            "merge",
            "split",
            "bug-status",
            "slow-mode",
        )
    ],
    "post_action": [
        ("POST", f"moderation/posts/{{post_id}}/{action}/")
        for action in ("hide", "restore", "helpful", "unhelpful")
    ],
    "bulk": [("POST", "moderation/boards/{slug}/bulk/")],
    "member": [
        ("GET", "moderation/members/{username}/"),
        ("GET", "moderation/members/{username}/sanctions/"),
        ("GET", "moderation/members/{username}/actions/"),
        ("GET", "moderation/members/{username}/reports/"),
    ],
    "member_action": [
        ("POST", f"moderation/members/{{username}}/{action}/")
        for action in ("warn", "silence", "lift-silence", "suspend", "lift-suspension")
    ],
    "reports": [("GET", "moderation/reports/")],
    "report_resolve": [("POST", "moderation/reports/{case_id}/resolve/")],
    "message_reports": [("GET", "moderation/message-reports/")],
    "message_report": [
        ("GET", "moderation/message-reports/{report_id}/"),
        ("POST", "moderation/message-reports/{report_id}/close/"),
    ],
    "warning_message": [("POST", "moderation/members/{username}/warning-message/")],
    "approvals": [("GET", "moderation/approvals/")],
    "approval_action": [
        ("POST", "moderation/approvals/{post_id}/approve/"),
        ("POST", "moderation/approvals/{post_id}/reject/"),
    ],
    "queue_badge": [("GET", "moderation/queues/")],
    "moderators": [
        ("GET", "moderation/moderators/boards/"),
        ("GET", "moderation/moderators/sections/"),
        ("GET", "moderation/moderators/global/"),
    ],
    "moderator_appoint": [("POST", "moderation/moderators/appoint/")],
    "moderator_remove": [("POST", "moderation/moderators/remove/")],
    "global_moderator": [("POST", "moderation/moderators/global/")],
    "console": [("GET", "staff/dashboard/"), ("GET", "staff/actives/")],
    "console_members": [("GET", "staff/members/"), ("GET", "staff/members/count/")],
    "console_export_start": [("POST", "staff/exports/")],
    "console_member": [
        ("GET", "staff/members/{member_id}/"),
        ("GET", "staff/members/{member_id}/core-flag-history/"),
    ],
    "console_core_lock": [("POST", "staff/members/{member_id}/core-lock/")],
    "console_member_archive": [("POST", "staff/members/{member_id}/archive/")],
    "console_member_delete": [("POST", "staff/members/{member_id}/delete/")],
    "console_export": [("GET", "staff/exports/{export_id}/")],
    # The page's polled progress fragment: the export's own read has its progress.
    "console_export_progress": [("GET", "staff/exports/{export_id}/")],
    "console_export_download": [("GET", "staff/exports/{export_id}/download/{token}/")],
    "member_medals": [("POST", "staff/members/{member_id}/medals/")],
    "watched_words": [("GET", "moderation/watched-words/"), ("POST", "moderation/watched-words/")],
    "watched_word_edit": [
        ("GET", "moderation/watched-words/{word_id}/"),
        ("PATCH", "moderation/watched-words/{word_id}/"),
    ],
    "watched_word_delete": [("DELETE", "moderation/watched-words/{word_id}/")],
    "bans": [("GET", "moderation/banned-networks/"), ("GET", "moderation/banned-domains/")],
    "banned_network_add": [("POST", "moderation/banned-networks/")],
    "banned_network_lift": [("DELETE", "moderation/banned-networks/{network_id}/")],
    "banned_domain_add": [("POST", "moderation/banned-domains/")],
    "banned_domain_lift": [("DELETE", "moderation/banned-domains/{domain_id}/")],
}
# Early-access programmes' staff pages are the programs resource's (another tag), and
# reporting a post (reports:report) is the posts resource's.
ELSEWHERE = {
    "programs",
    "program_create",
    "program",
    "program_edit",
    "program_invite",
    "program_invite_selected",
    "program_invite_all",
    "program_flag",
    "program_remove",
    "program_apply_rules",
    "program_applications",
    "program_application_accept",
    "program_application_reject",
    # A meetup's sign-ups are the meetups resource's (its organiser need not be staff).
    "meetup_export",
    # Closing a poll is the poll's own operation (threads/{thread_id}/poll/close/), open
    # to its author as well as moderators.
    "poll_close",
}


def test_every_moderation_page_has_its_operations(operations):
    names = {pattern.name for pattern in moderation.urls.moderator_patterns}
    assert names == set(PAGES) | ELSEWHERE, names ^ (set(PAGES) | ELSEWHERE)
    for name, calls in PAGES.items():
        for method, path in calls:
            assert (method, f"/api/v1/{path}") in operations, (name, method, path)
    assert reverse("moderation:console")  # the names above are the live ones
