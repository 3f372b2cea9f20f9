"""Accounts' models, one module per concern; import them from here."""

from .activity import DailyActivity
from .invitations import InvitationCode, InvitationRedemption
from .notifications import DEFAULT_DELIVERY, Delivery, Notification, NotificationKind
from .reputation import ReputationEntry, ReputationReason
from .users import Device, FirmwareChannel, User

__all__ = [
    "DEFAULT_DELIVERY",
    "DailyActivity",
    "Delivery",
    "Device",
    "FirmwareChannel",
    "InvitationCode",
    "InvitationRedemption",
    "Notification",
    "NotificationKind",
    "ReputationEntry",
    "ReputationReason",
    "User",
]
