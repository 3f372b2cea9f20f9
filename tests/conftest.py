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
    # Page caches, rate limits and views counted but not folded must not leak from one
    # test into the next (SQLite reuses a rolled-back thread's id: its views would land
    # on the next test's thread).
    from forum.services import view_counts

    cache.clear()
    view_counts._take_local()
    yield
    cache.clear()
    view_counts._take_local()


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
