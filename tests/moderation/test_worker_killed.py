"""A worker killed (SIGKILL) in the middle of a job: the job is handed to the next worker
once the broker's visibility timeout passes, and completes exactly once.

Real processes on the real broker: `celery worker` subprocesses with the local settings,
on this test's PostgreSQL database and Redis, their files in a temporary MEDIA_ROOT.
The visibility timeout is shortened for the test (CELERY_VISIBILITY_TIMEOUT); in
production it is longer than any job may run (config.settings.base).
"""

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from accounts.models import DailyStats
from config.celery import app
from moderation import services
from moderation.models import UserExport
from tests.factories import StaffFactory, bulk_users

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL") or connection.vendor != "postgresql",
        reason="needs PostgreSQL and a Redis broker (CI's second run)",
    ),
    pytest.mark.django_db(transaction=True),
]

MEMBERS = 40_000
VISIBILITY_SECONDS = 3


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def workers(tmp_path):
    """Start `celery worker` processes on demand; all are killed at the end."""
    started = []
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(tmp_path),
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_SECONDS),
    }

    def start():
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--prefetch-multiplier=1",
                "--loglevel=WARNING",
            ],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        return process

    app.conf.task_always_eager = False
    try:
        yield start
    finally:
        app.conf.task_always_eager = True
        for process in started:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=30)


def _wait(condition, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"waited {seconds} s for {what}")


def test_an_export_whose_worker_is_killed_is_finished_once_by_the_next(workers, tmp_path):
    bulk_users(MEMBERS)
    staff = StaffFactory()
    first = workers()
    export = services.export_start(
        actor=staff, submitted={}, include_emails=False, total_rows=MEMBERS, may_stream=False
    )

    # Killed while it writes: the row says so, and nothing is left to finish it...
    _wait(
        lambda: UserExport.objects.filter(
            pk=export.pk, status=UserExport.Status.RUNNING, rows_written__gt=0
        ).exists(),
        seconds=120,
        what="the first worker to be writing",
    )
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    time.sleep(VISIBILITY_SECONDS + 1)
    assert UserExport.objects.get(pk=export.pk).status == UserExport.Status.RUNNING

    # ...until a worker starts: the unacknowledged task comes back and is done once.
    workers()
    done = _wait(
        lambda: UserExport.objects.filter(pk=export.pk, status=UserExport.Status.DONE).first(),
        seconds=180,
        what="the second worker to finish the export",
    )
    files = list(Path(tmp_path, "exports").glob("*.csv"))
    assert [f.name for f in files] == [Path(done.file.name).name]
    with files[0].open(encoding="utf-8-sig", newline="") as stored:
        rows = list(csv.reader(stored))
    ids = [row[0] for row in rows[1:]]
    assert len(ids) == len(set(ids)) == MEMBERS + 1  # every member (and the staff) once
    assert done.rows_written == MEMBERS + 1


def test_a_backfill_whose_worker_is_killed_gives_the_same_rows_when_run_again(workers):
    from datetime import date

    from accounts.tasks import backfill_daily_stats

    first_day, last_day = date(2024, 1, 1), date(2024, 3, 31)
    worker = workers()
    backfill_daily_stats.delay(first_day.isoformat(), last_day.isoformat())
    _wait(lambda: DailyStats.objects.exists(), seconds=120, what="the backfill to start")
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    partial = DailyStats.objects.count()

    workers()
    _wait(
        lambda: DailyStats.objects.filter(day=last_day).exists(),
        seconds=180,
        what="the backfill to finish",
    )
    rows = list(DailyStats.objects.order_by("day").values_list("day", "dau", "wau", "mau"))
    assert len(rows) == (last_day - first_day).days + 1 >= partial
    assert len({day for day, *_ in rows}) == len(rows)
