"""Accounts' models, one module per concern; import them from here."""

from .activity import DailyActivity
from .archives import MemberArchive
from .blocking import Block
from .checkin import CheckIn
from .cities import City
from .invitations import InvitationCode, InvitationRedemption
from .medals import MEDALS_SHOWN_MAX, Medal, MedalRule, MemberMedal
from .notifications import (
    BLOCKABLE_KINDS,
    DEFAULT_DELIVERY,
    Delivery,
    Notification,
    NotificationKind,
    NotificationMessage,
    notification_choice_label,
    register_notification_messages,
)
from .program_apply import (
    APPLY_RULE_FIELDS,
    ApplicationState,
    ProgramApplication,
    ProgramApplyRules,
    ProgramQuestion,
    ProgramQuizItem,
    ProgramScoreEntry,
    ProgramStanding,
    ProgramWeek,
    ScoreReason,
)
from .programs import (
    LIVE_STATES,
    PROGRAM_FIELDS,
    MembershipState,
    Program,
    ProgramCandidate,
    ProgramMembership,
)
from .reputation import ReputationEntry, ReputationReason, ReputationReconciliation
from .screening import (
    BannedEmailDomain,
    BannedNetwork,
    WatchedWord,
    WatchedWordAction,
    WatchedWordKind,
)
from .stats import CoreFlagChange, DailyStats, DailyVisitGaps
from .users import SANCTION_PERMANENT_UNTIL, CoreLock, Device, FirmwareChannel, User

__all__ = [
    "APPLY_RULE_FIELDS",
    "BLOCKABLE_KINDS",
    "DEFAULT_DELIVERY",
    "LIVE_STATES",
    "MEDALS_SHOWN_MAX",
    "PROGRAM_FIELDS",
    "SANCTION_PERMANENT_UNTIL",
    "ApplicationState",
    "BannedEmailDomain",
    "BannedNetwork",
    "Block",
    "CheckIn",
    "City",
    "CoreFlagChange",
    "CoreLock",
    "DailyActivity",
    "DailyStats",
    "DailyVisitGaps",
    "Delivery",
    "Device",
    "FirmwareChannel",
    "InvitationCode",
    "InvitationRedemption",
    "Medal",
    "MedalRule",
    "MemberArchive",
    "MemberMedal",
    "MembershipState",
    "Notification",
    "NotificationKind",
    "NotificationMessage",
    "Program",
    "ProgramApplication",
    "ProgramApplyRules",
    "ProgramCandidate",
    "ProgramMembership",
    "ProgramQuestion",
    "ProgramQuizItem",
    "ProgramScoreEntry",
    "ProgramStanding",
    "ProgramWeek",
    "ReputationEntry",
    "ReputationReason",
    "ReputationReconciliation",
    "ScoreReason",
    "User",
    "WatchedWord",
    "WatchedWordAction",
    "WatchedWordKind",
    "notification_choice_label",
    "register_notification_messages",
]
