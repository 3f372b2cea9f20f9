"""Celery for Popcorn: Redis broker from REDIS_URL, JSON only, late acks.

Every option lives in Django settings under the CELERY_ prefix (base.py),
including the beat schedule, so it is reviewed with the code. Without
REDIS_URL the same tasks run eagerly in-process (the embedded default).
Periodic jobs are declared with config.jobs.job, which adds retries with
backoff and registers them for `manage.py run_jobs`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("popcorn")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
