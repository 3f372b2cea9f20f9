"""The five callers of the API's permission matrix, each signed in the app's way."""

from rest_framework.test import APIClient

from forum.models import BoardModerator
from tests.api.conftest import suspend, token_client
from tests.factories import BoardFactory, StaffFactory, UserFactory

ROLES = ("anonymous", "member", "suspended", "moderator", "staff")
SIGNED_IN = ROLES[1:]


def make_caller(role: str, **fields):
    """(user, client) for a role: a plain member, a suspended one, a board moderator or
    staff, signed in with an app session token; (None, an anonymous client) for anonymous."""
    if role == "anonymous":
        return None, APIClient()
    user = StaffFactory(**fields) if role == "staff" else UserFactory(**fields)
    if role == "suspended":
        user = suspend(user)
    elif role == "moderator":
        BoardModerator.objects.create(board=BoardFactory(), user=user)
    return user, token_client(user)


# What signing in with a session token costs a request: allauth's check that the session
# exists, loading it, and the user row.
TOKEN_AUTH_QUERIES = 3
