import pytest

from accounts import services
from accounts.levels import threshold_of
from tests.factories import UserFactory

SIGNUP = {
    "username": "new_fan",
    "email": "new_fan@example.com",
    "password1": "flash-the-rom-2026",
    "password2": "flash-the-rom-2026",
}


@pytest.fixture
def registration_mode(settings):
    """Call with "open", "open_with_code" or "invite_only" to switch the site's mode."""

    def switch(mode: str) -> None:
        settings.POPCORN = {**settings.POPCORN, "REGISTRATION_MODE": mode}

    return switch


@pytest.fixture
def inviter(db):
    """A member just at the level that may invite (Active by default)."""
    return UserFactory(reputation=threshold_of("active"))


@pytest.fixture
def make_code(inviter):
    def make(creator=None, **kwargs):
        return services.invitation_create(creator=creator or inviter, **kwargs)

    return make
