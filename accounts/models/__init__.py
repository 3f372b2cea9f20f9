"""Accounts' models, one module per concern; import them from here."""

from .activity import DailyActivity
from .notifications import DEFAULT_DELIVERY, Delivery, Notification, NotificationKind
from .programs import (
    LIVE_STATES,
    MembershipState,
    Program,
    ProgramCandidate,
    ProgramMembership,
)
from .reputation import ReputationEntry, ReputationReason
from .users import Device, FirmwareChannel, User

__all__ = [
    "DEFAULT_DELIVERY",
    "LIVE_STATES",
    "DailyActivity",
    "Delivery",
    "Device",
    "FirmwareChannel",
    "MembershipState",
    "Notification",
    "NotificationKind",
    "Program",
    "ProgramCandidate",
    "ProgramMembership",
    "ReputationEntry",
    "ReputationReason",
    "User",
]
