"""PostgreSQL: a covering index for a member's 30 days of activity figures (issue 16).

The member CSV export sums each page's members' last 30 days (visited days, posts,
likes received). A day's rows are written together, so one member's 30 rows sit on
30 table pages: 56,000 page reads for a page of 2,000 members, 28 million for a
million-member export. With the figures in the index, each page is an index-only
scan over adjacent entries. Made on the partitioned table, every partition gets
its own (and a partition attached later gets one made). Elsewhere (SQLite,
no INCLUDE) this migration does nothing.
"""

from django.db import migrations

NAME = "daily_activity_member_window"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "accounts_dailyactivity" '
        '("user_id", "day") INCLUDE ("visited", "posts", "likes_received")'
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("accounts", "0025_daily_actives_gaps")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
