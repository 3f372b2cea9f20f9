"""Defaults that settings start from and the code falls back to.

They live here, below every app, so settings never import an app's modules.
"""

from django.utils.translation import pgettext_lazy

# (key, name, reputation threshold), lowest first; names are translatable, with the
# context "level" (a "Member" level is not a programme's "Member" state).
DEFAULT_LEVELS = [
    ("newcomer", pgettext_lazy("level", "Newcomer"), 0),
    ("member", pgettext_lazy("level", "Member"), 50),
    ("active", pgettext_lazy("level", "Active"), 200),
    ("senior", pgettext_lazy("level", "Senior"), 1_000),
    ("core", pgettext_lazy("level", "Core"), 5_000),
    ("legend", pgettext_lazy("level", "Legend"), 20_000),
]


# Reputation rules: points per ledger reason (accounts.models.ReputationReason
# values) and the caps. settings.POPCORN["REPUTATION"] starts as this dict;
# operators change values there, and a key they leave out keeps its default.
DEFAULT_REPUTATION_RULES = {
    "thread": 2,
    "reply": 1,
    "like": 2,  # per like received; taken back with the like
    "helpful": 15,
    "featured": 15,
    "bug_confirmed": 20,
    "check_in": 1,
    "check_in_streak": 5,  # on top of check_in, every check_in_streak_every-th day in a row
    "invitee_active": 10,
    "content_removed": -10,  # a post hidden after a report was upheld
    "report_upheld": 2,
    "reply_daily_cap": 20,  # most reply points in one day (site time zone)
    "check_in_streak_every": 7,
    "meetup_attended": 10,  # checked in at a meetup, once per event
}


# Invitation codes: settings.POPCORN["INVITATIONS"] starts as this dict, and a key
# an operator leaves out keeps its default (accounts.permissions.invitation_config).
DEFAULT_INVITATIONS = {
    # Members at or above this level (accounts.levels) may invite; staff always.
    "MIN_LEVEL": "active",
    # People a member may invite per calendar month (site time zone), by
    # level; a level not listed gets the quota of the nearest listed level
    # below it (or, below them all, of the lowest listed level).
    # A code for 3 people counts 3; revoking gives back its unused places.
    "MONTHLY_QUOTA": {"active": 5, "senior": 20, "core": 50, "legend": 100},
    "MAX_USES": 20,  # most people one member's code may admit (staff: STAFF_MAX_USES)
    "STAFF_MAX_USES": 1000,
    "EXPIRY_DAYS": 30,
    "MAX_EXPIRY_DAYS": 90,
    # An invitee "became active" with this many posts within this many days
    # of joining; the inviter then earns ReputationReason.INVITEE_ACTIVE.
    "ACTIVE_POSTS": 5,
    "ACTIVE_WITHIN_DAYS": 30,
    # One code is emailed at most once in this many minutes.
    "RESEND_AFTER_MINUTES": 60,
    "PER_PAGE": 20,
}
