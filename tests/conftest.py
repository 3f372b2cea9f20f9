import pytest
from django.core.cache import cache
from django.utils import translation

from tests.factories import BoardFactory, StaffFactory, UserFactory


@pytest.fixture(autouse=True)
def _no_language_left_over():
    # LocaleMiddleware leaves the last request's language active in the thread: a
    # Chinese page must not turn the next test's messages Chinese.
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Page caches and rate limits must not leak from one test into the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(db):
    return UserFactory()


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def board(db):
    return BoardFactory()


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client
