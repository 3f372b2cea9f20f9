"""End to end through a real broker: a job enqueued on Redis, run by a real Celery worker.

Only where REDIS_URL is set (CI's PostgreSQL + Redis run). The worker runs in a
thread of this process, so it uses the same test database; the test is
transactional so the worker's own connection sees the committed rows.
"""

import os
from datetime import date

import pytest
from celery.contrib.testing.worker import start_worker

from accounts.models import DailyActivity, DailyStats
from accounts.tasks import compute_daily_actives
from config.celery import app
from tests.factories import UserFactory

needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs a Redis broker (REDIS_URL)"
)


@pytest.fixture
def real_worker(settings):
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as w:
            yield w
    finally:
        app.conf.task_always_eager = True


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_a_job_enqueued_through_redis_is_run_by_a_worker(real_worker):
    day = date(2024, 5, 1)
    for user in UserFactory.create_batch(3):
        DailyActivity.objects.create(user=user, day=day)
    result = compute_daily_actives.delay(day.isoformat())
    assert result.get(timeout=60) == {"day": "2024-05-01", "dau": 3, "wau": 3, "mau": 3}
    assert result.status == "SUCCESS"
    assert DailyStats.objects.get(day=day).dau == 3
