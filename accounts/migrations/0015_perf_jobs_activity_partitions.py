"""PostgreSQL: accounts_dailyactivity becomes a table partitioned by month (issue 16).

A million activity rows a day: partitioned by `day`, one partition per month
(accounts_dailyactivity_pYYYYMM) plus a DEFAULT partition that catches a month
nobody made yet; the retention job (accounts.activity_partitions, services in
accounts/services/activity_partitions.py) makes the coming months and drops the
months past POPCORN["ACTIVITY_RETENTION_DAYS"] whole, instead of deleting rows.

The model does not change: the columns, the (user, day) unique constraint and
the indexes keep their names, so Django's state is the same on every database;
the primary key becomes (id, day), as PostgreSQL requires of a partitioned
table (the id stays unique: one sequence feeds every partition). On SQLite
(and any other database) this migration does nothing. Reversing it leaves the
table partitioned, which the previous state reads and writes just the same.
"""

from datetime import date

from django.db import migrations

TABLE = "accounts_dailyactivity"
OLD = "accounts_dailyactivity_unpartitioned"
SEQUENCE = "accounts_dailyactivity_part_id_seq"


def _month(day: date, ahead: int = 0) -> date:
    months = day.year * 12 + day.month - 1 + ahead
    return date(months // 12, months % 12 + 1, 1)


def partition(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [TABLE])
        if cursor.fetchone():
            return
        # What the table has now, as SQL, before anything is renamed.
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid), contype, conindid FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f')",
            [TABLE],
        )
        constraints = cursor.fetchall()
        backing = [row[3] for row in constraints if row[3]]
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass "
            "AND NOT (i.indexrelid = ANY(%s))",
            [TABLE, backing or [0]],
        )
        indexes = cursor.fetchall()
        cursor.execute(f'ALTER TABLE "{TABLE}" RENAME TO "{OLD}"')
        # Index names are per schema: the old table's give theirs up.
        for name, _definition, kind, _index in constraints:
            if kind in ("p", "u"):
                cursor.execute(f'ALTER INDEX "{name}" RENAME TO "{name[:55]}_unpart"')
        for name, _definition in indexes:
            cursor.execute(f'ALTER INDEX "{name}" RENAME TO "{name[:55]}_unpart"')
        cursor.execute(
            f'CREATE TABLE "{TABLE}" (LIKE "{OLD}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS) '
            "PARTITION BY RANGE (day)"
        )
        cursor.execute(f'CREATE SEQUENCE "{SEQUENCE}" OWNED BY "{TABLE}".id')
        cursor.execute(f"""ALTER TABLE "{TABLE}" ALTER id SET DEFAULT nextval('"{SEQUENCE}"')""")
        for name, definition, kind, _index in constraints:
            if kind == "p":
                definition = "PRIMARY KEY (id, day)"
            cursor.execute(f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            cursor.execute(definition)  # CREATE INDEX <its name> ON <the table's name> ...
        cursor.execute(f'SELECT min(day), max(id) FROM "{OLD}"')
        first, last_id = cursor.fetchone()
        today = date.today()
        month = _month(min(first or today, today))
        while month <= _month(today, 2):
            following = _month(month, 1)
            cursor.execute(
                f'CREATE TABLE "{TABLE}_p{month:%Y%m}" PARTITION OF "{TABLE}" '
                f"FOR VALUES FROM ('{month.isoformat()}') TO ('{following.isoformat()}')"
            )
            month = following
        cursor.execute(f'CREATE TABLE "{TABLE}_pdefault" PARTITION OF "{TABLE}" DEFAULT')
        cursor.execute(f'INSERT INTO "{TABLE}" SELECT * FROM "{OLD}"')
        if last_id:
            cursor.execute("SELECT setval(%s, %s)", [SEQUENCE, last_id])
        cursor.execute(f'DROP TABLE "{OLD}"')
        # New tables have no statistics yet: without them the jobs' plans guess wrong.
        cursor.execute(f'ANALYZE "{TABLE}"')


class Migration(migrations.Migration):
    dependencies = [
        ('accounts', '0013_notification_and_ledger_texts'),
    ]

    operations = [
        migrations.RunPython(partition, migrations.RunPython.noop, elidable=False),
    ]
