"""Reads of accounts' tables with fixed query counts: the front door other apps import."""

from accounts.languages import language_for

from .core_users import CoreCriteria, core_criteria, days_active_in_window
from .invitations import (
    InvitationsOverview,
    InvitationUnavailable,
    invitation_check,
    invitations_overview,
    join_path,
    max_uses_allowed,
    month_start,
    monthly_quota,
    normalize_code,
    quota_left,
    quota_used,
)
from .members import MEMBER_SORTS, MemberPage, member_page, reputation_range
from .notifications import delivery_for, notification_page
from .programs import (
    TABS,
    accepted_members,
    accepted_program_ids,
    accepted_programs_of,
    candidate_page,
    membership_page,
    my_programs,
    open_programs,
    program_counts,
    programs_with_counts,
)
from .programs_criteria import qualifying_users
from .reputation import ledger_page
from .stats import daily_stats_figures

__all__ = [
    "MEMBER_SORTS",
    "TABS",
    "CoreCriteria",
    "InvitationUnavailable",
    "InvitationsOverview",
    "MemberPage",
    "accepted_members",
    "accepted_program_ids",
    "accepted_programs_of",
    "candidate_page",
    "core_criteria",
    "daily_stats_figures",
    "days_active_in_window",
    "delivery_for",
    "invitation_check",
    "invitations_overview",
    "join_path",
    "language_for",
    "ledger_page",
    "max_uses_allowed",
    "member_page",
    "membership_page",
    "month_start",
    "monthly_quota",
    "my_programs",
    "normalize_code",
    "notification_page",
    "open_programs",
    "program_counts",
    "programs_with_counts",
    "qualifying_users",
    "quota_left",
    "quota_used",
    "reputation_range",
]
