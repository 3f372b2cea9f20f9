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
}
