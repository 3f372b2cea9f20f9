"""Time the daily jobs on the generated data:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch> \
        .venv/bin/python manage.py shell < bench/activity/time_jobs.py

Fill the scratch database (migrated) with gen_members.sql and gen_forum.sql first.
"""

import time
from datetime import timedelta

from django.utils import timezone

from accounts import core_users, stats
from accounts.models import CoreFlagChange, User
from forum.services import section_daily_stats_compute

day = timezone.localdate()
runs = [
    ("site-wide figures only (read)", lambda: stats.daily_stats_figures(day)),
    ("per-section part only", lambda: section_daily_stats_compute(day)),
    ("daily actives job (site + sections), run 1", lambda: stats.daily_stats_compute(day=day)),
    ("daily actives job, run 2 (idempotent rerun)", lambda: stats.daily_stats_compute(day=day)),
    ("core flag job, run 1 (first flagging)", lambda: core_users.core_flags_update(day=day)),
    ("core flag job, run 2 (no changes)", lambda: core_users.core_flags_update(day=day)),
]
for label, run in runs:
    started = time.perf_counter()
    result = run()
    if hasattr(result, "dau"):
        result = (result.dau, result.wau, result.mau, result.stickiness)
    print(f"{label}: {time.perf_counter() - started:.2f}s -> {result}")
core = User.objects.filter(is_core=True).count()
print("core users:", core, "history rows:", CoreFlagChange.objects.count())
# The losing path: everyone core for 20 days (past the hold), a slice losing reputation.
User.objects.filter(is_core=True).update(core_since=timezone.now() - timedelta(days=20))
User.objects.filter(is_core=True, id__lt=300000).update(reputation=10)
started = time.perf_counter()
result = core_users.core_flags_update(day=day)
print(f"core flag job, run 3 (gains and losses): {time.perf_counter() - started:.2f}s -> {result}")
