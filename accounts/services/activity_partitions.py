"""Keeping the daily-activity table a year long: monthly partitions and retention.

On PostgreSQL accounts_dailyactivity is partitioned by month (migration
accounts 0015_perf_jobs_activity_partitions). The daily job makes this month's
and the next PARTITION_MONTHS_AHEAD months' partitions (moving in any of their
rows the DEFAULT partition caught meanwhile), and drops every month that ended
before the retention cut-off whole: no million-row DELETE, no bloat. Rows of
the DEFAULT partition older than the cut-off are deleted. Elsewhere (SQLite),
or if the table is not partitioned, the rows older than the cut-off are deleted.

Older history is not lost: the console's charts read the daily roll-ups
(DailyStats, SectionDailyStats), which are kept. Idempotent: a second run finds
every partition made and nothing old left.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import connections, router, transaction
from django.utils import timezone

from accounts.models import DailyActivity

PARTITION_MONTHS_AHEAD = 2


def _month(day: date, ahead: int = 0) -> date:
    months = day.year * 12 + day.month - 1 + ahead
    return date(months // 12, months % 12 + 1, 1)


def _partitions(cursor, table: str) -> dict[str, str]:
    """Name -> bound expression of the table's partitions; {} when it is not partitioned."""
    cursor.execute(
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
        "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass",
        [table],
    )
    return dict(cursor.fetchall())


@transaction.atomic
def activity_partitions_maintain(*, today: date | None = None) -> dict:
    """Make the coming months' partitions and drop (or delete) what is past retention."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.POPCORN["ACTIVITY_RETENTION_DAYS"])
    connection = connections[router.db_for_write(DailyActivity)]
    table = DailyActivity._meta.db_table
    if connection.vendor != "postgresql":
        deleted, _by_model = DailyActivity.objects.filter(day__lt=cutoff).delete()
        return {"created": 0, "dropped": 0, "deleted": deleted}
    qn = connection.ops.quote_name
    created = dropped = 0
    with connection.cursor() as cursor:
        partitions = _partitions(cursor, table)
        if not partitions:
            cursor.execute(f"DELETE FROM {qn(table)} WHERE day < %s", [cutoff])  # noqa: S608
            return {"created": 0, "dropped": 0, "deleted": cursor.rowcount}
        default = f"{table}_pdefault"
        for ahead in range(PARTITION_MONTHS_AHEAD + 1):
            first, following = _month(today, ahead), _month(today, ahead + 1)
            name = f"{table}_p{first:%Y%m}"
            if name in partitions:
                continue
            # Made apart, filled with what the DEFAULT partition caught of its month, then
            # attached: PostgreSQL refuses a partition whose rows sit in the default.
            like = f"LIKE {qn(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS"
            cursor.execute(f"CREATE TABLE {qn(name)} ({like})")
            if default in partitions:
                cursor.execute(
                    f"WITH moved AS (DELETE FROM {qn(default)} WHERE day >= %s AND day < %s "  # noqa: S608
                    f"RETURNING *) INSERT INTO {qn(name)} SELECT * FROM moved",
                    [first, following],
                )
            cursor.execute(
                f"ALTER TABLE {qn(table)} ATTACH PARTITION {qn(name)} FOR VALUES FROM (%s) TO (%s)",
                [first, following],
            )
            created += 1
        for name in sorted(partitions):
            suffix = name.removeprefix(f"{table}_p")
            if not (len(suffix) == 6 and suffix.isdigit()):
                continue  # the DEFAULT partition
            month = date(int(suffix[:4]), int(suffix[4:]), 1)
            if _month(month, 1) <= cutoff:  # the whole month is past retention
                cursor.execute(f"DROP TABLE {qn(name)}")
                dropped += 1
        deleted = 0
        if default in partitions:
            cursor.execute(f"DELETE FROM {qn(default)} WHERE day < %s", [cutoff])  # noqa: S608
            deleted = cursor.rowcount
    return {"created": created, "dropped": dropped, "deleted": deleted}
