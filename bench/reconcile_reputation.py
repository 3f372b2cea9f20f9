"""Time the nightly reputation reconciliation at scale on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/popcorn_bench \
        .venv/bin/python bench/reconcile_reputation.py --users 100000 --entries 1000000

It migrates the database it is given, fills it with generated members and
ledger rows (set-based INSERT ... SELECT generate_series), knocks 1% of the
totals off, and times reputation_reconcile() twice: repairing, then clean.
Use a scratch database: it adds rows to whatever is there.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from accounts.services import reputation_reconcile  # noqa: E402


def fill(users: int, entries: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM accounts_user")
        first = cursor.fetchone()[0] + 1
        cursor.execute(
            """
            INSERT INTO accounts_user (
                id, password, is_superuser, username, first_name, last_name, email,
                is_staff, is_active, date_joined, display_name, avatar, signature,
                post_count, thread_count, reputation, unread_notifications,
                notification_settings, auto_watch, is_global_moderator,
                suspension_reason, silence_reason, days_visited,
                check_in_streak, best_check_in_streak, language
            )
            SELECT n, '!', false, 'bench' || n, '', '', 'bench' || n || '@example.com',
                   false, true, now(), '', '', '', 0, 0, 0, 0, '{}', true, false,
                   '', '', 0, 0, 0, ''
            FROM generate_series(%s, %s) AS n
            """,
            [first, first + users - 1],
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('accounts_user', 'id'), %s)",
            [first + users - 1],
        )
        cursor.execute(
            """
            INSERT INTO accounts_reputationentry
                (user_id, points, reason, source, target_title, target_url, title_params,
                 created_at)
            SELECT %s + (n %% %s), 1 + (n %% 3), 'like', 'bench:' || n, '', '', '{}',
                   now() - (n %% 30) * interval '1 day'
            FROM generate_series(1, %s) AS n
            """,
            [first, users, entries],
        )
        # Totals as the services would have kept them, then 1% drifted.
        cursor.execute(
            """
            UPDATE accounts_user u SET reputation = s.total
            FROM (SELECT user_id, sum(points) AS total FROM accounts_reputationentry
                  WHERE user_id >= %s GROUP BY user_id) s
            WHERE u.id = s.user_id
            """,
            [first],
        )
        cursor.execute(
            "UPDATE accounts_user SET reputation = reputation + 7 WHERE id >= %s AND id %% 100 = 0",
            [first],
        )
        cursor.execute("ANALYZE accounts_user")
        cursor.execute("ANALYZE accounts_reputationentry")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Point DATABASE_URL at a scratch PostgreSQL database.")
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    fill(args.users, args.entries)
    print(
        f"generated {args.users:,} users, {args.entries:,} ledger rows "
        f"in {time.monotonic() - started:.1f} s"
    )
    for label in ("repair", "clean"):
        run = reputation_reconcile()
        print(f"{label}: {run.users_repaired:,} repaired in {run.duration_ms / 1000:.2f} s")


if __name__ == "__main__":
    main()
