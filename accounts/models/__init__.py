"""Accounts' models, one module per concern; import them from here."""

from .activity import DailyActivity
from .notifications import DEFAULT_DELIVERY, Delivery, Notification, NotificationKind
from .reputation import ReputationEntry, ReputationReason
from .stats import CoreFlagChange, DailyStats
from .users import CoreLock, Device, FirmwareChannel, User

__all__ = [
    "DEFAULT_DELIVERY",
    "CoreFlagChange",
    "CoreLock",
    "DailyActivity",
    "DailyStats",
    "Delivery",
    "Device",
    "FirmwareChannel",
    "Notification",
    "NotificationKind",
    "ReputationEntry",
    "ReputationReason",
    "User",
]
