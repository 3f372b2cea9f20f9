"""Accounts' models, one module per concern; import them from here."""

from .activity import DailyActivity
from .notifications import DEFAULT_DELIVERY, Delivery, Notification, NotificationKind
from .reputation import ReputationEntry, ReputationReason
from .stats import CoreFlagChange, DailyStats
from .users import CoreLock, Device, FirmwareChannel, User

__all__ = [
    "CoreFlagChange",
    "CoreLock",
    "DailyStats",
    "DEFAULT_DELIVERY",
    "DailyActivity",
    "Delivery",
    "Device",
    "FirmwareChannel",
    "Notification",
    "NotificationKind",
    "ReputationEntry",
    "ReputationReason",
    "User",
]
