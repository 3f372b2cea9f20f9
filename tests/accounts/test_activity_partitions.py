"""Daily activity: monthly partitions on PostgreSQL, retention everywhere (issue 16)."""

from datetime import date, timedelta

import pytest
from django.db import connection

from accounts import services
from accounts.models import DailyActivity
from accounts.tasks import activity_partitions
from tests.factories import UserFactory
from tests.utils import postgresql_only

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)
TABLE = DailyActivity._meta.db_table


def _rows():
    return sorted(DailyActivity.objects.values_list("user_id", "day", "posts"))


@pytest.fixture
def days(settings):
    settings.POPCORN = {**settings.POPCORN, "ACTIVITY_RETENTION_DAYS": 400}
    user = UserFactory()
    kept = [TODAY, TODAY - timedelta(days=30), TODAY - timedelta(days=399)]
    gone = [TODAY - timedelta(days=401), TODAY - timedelta(days=700)]
    DailyActivity.objects.bulk_create(
        DailyActivity(user=user, day=day, posts=n) for n, day in enumerate(kept + gone)
    )
    return user, kept, gone


def test_rows_past_retention_go_and_a_second_run_changes_nothing(days):
    _user, kept, _gone = days
    activity_partitions.delay(TODAY.isoformat()).get()
    assert sorted(DailyActivity.objects.values_list("day", flat=True)) == sorted(kept)
    rows = _rows()
    services.activity_partitions_maintain(today=TODAY)
    assert _rows() == rows


@postgresql_only
def test_on_postgresql_the_table_is_partitioned_by_month_and_old_months_are_dropped(days):
    _user, kept, _gone = days
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [TABLE])
        assert cursor.fetchone()
    first = services.activity_partitions_maintain(today=TODAY)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass",
            [TABLE],
        )
        names = {row[0] for row in cursor.fetchall()}
        # Rows live in their month's partition once it exists.
        cursor.execute(f"SELECT count(*) FROM {TABLE}_p202612")  # noqa: S608
        this_month = cursor.fetchone()[0]
    assert {f"{TABLE}_p202612", f"{TABLE}_p202701", f"{TABLE}_p202702"} <= names
    assert this_month == 1
    assert sorted(DailyActivity.objects.values_list("day", flat=True)) == sorted(kept)
    assert first["created"] + first["dropped"] + first["deleted"] > 0
    rows = _rows()
    assert services.activity_partitions_maintain(today=TODAY) == {
        "created": 0,
        "dropped": 0,
        "deleted": 0,
    }
    assert _rows() == rows
    # The upsert the visits use still works across partitions.
    user = UserFactory()
    services.activity_count(user_id=user.pk, day=TODAY, posts=1)
    services.activity_count(user_id=user.pk, day=TODAY, posts=1)
    assert DailyActivity.objects.get(user=user, day=TODAY).posts == 2
