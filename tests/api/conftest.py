"""Fixtures of the API tests: a DRF client, and members signed in the app's way."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services as account_services
from forum.models import BoardModerator
from tests.factories import BoardFactory, UserFactory

PASSWORD = "correct-horse-battery"
LOGIN_URL = "/_allauth/app/v1/auth/login"


def app_login(username: str, password: str = PASSWORD) -> str:
    """Sign in as the app does (allauth headless); the session token it hands out."""
    response = APIClient().post(
        LOGIN_URL, {"username": username, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["meta"]["session_token"]


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_X_SESSION_TOKEN=app_login(user.username))
    return client


def suspend(user):
    account_services.sanction_set(
        user_id=user.pk,
        kind="suspension",
        until=timezone.now() + timedelta(days=3),
        reason="Spam",
    )
    user.refresh_from_db()
    return user


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def board(db):
    return BoardFactory()


@pytest.fixture
def member(db):
    return UserFactory()


@pytest.fixture
def member_api(member):
    return token_client(member)


@pytest.fixture
def suspended(db):
    return suspend(UserFactory())


@pytest.fixture
def moderator(board):
    user = UserFactory()
    BoardModerator.objects.create(board=board, user=user)
    return user
