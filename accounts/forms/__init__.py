"""Accounts' forms, one module per feature: profiles, notifications, invitations."""

from .blocking import BlockForm
from .invitations import InvitationCreateForm, InvitationSendForm, SignupForm
from .medals import CityForm
from .notifications import NotificationSettingsForm
from .profiles import ProfileForm

__all__ = [
    "BlockForm",
    "CityForm",
    "InvitationCreateForm",
    "InvitationSendForm",
    "NotificationSettingsForm",
    "ProfileForm",
    "SignupForm",
]
