"""Run a periodic job by hand: `manage.py run_jobs [job] [--date D | --from D --to D] [--enqueue]`.

With no job, lists them. A dated job runs for --date, or for every day of
--from..--to (a backfill), or with its own default (yesterday). It runs here,
in this process, unless --enqueue sends it to the workers through the broker.
"""

import json
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError

from config.jobs import load_jobs


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "Run a periodic job now (list them when no job is given)."

    def add_arguments(self, parser):
        parser.add_argument("job", nargs="?", help="job name, e.g. accounts.compute_daily_actives")
        parser.add_argument("--date", help="the day, YYYY-MM-DD")
        parser.add_argument("--from", dest="first", help="first day of a range")
        parser.add_argument("--to", dest="last", help="last day of a range")
        parser.add_argument("--enqueue", action="store_true", help="send to the workers instead")

    def handle(self, *args, job=None, date=None, first=None, last=None, enqueue=False, **opts):
        jobs = load_jobs()
        if not job:
            for name in sorted(jobs):
                dated = " [--date D | --from D --to D]" if jobs[name].dated else ""
                self.stdout.write(f"{name}{dated}\n    {jobs[name].help}")
            return
        if job not in jobs:
            raise CommandError(f"unknown job {job!r}; run_jobs with no job lists them")
        spec = jobs[job]
        if (date or first or last) and not spec.dated:
            raise CommandError(f"{job} takes no date")
        if (first is None) != (last is None):
            raise CommandError("--from and --to go together")
        if date and first:
            raise CommandError("give --date or --from/--to, not both")
        if first:
            start, end = _date(first), _date(last)
            if end < start:
                raise CommandError("--to is before --from")
            days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        else:
            days = [_date(date)] if date else [None]
        for day in days:
            kwargs = {"day": day.isoformat()} if day else {}
            if enqueue:
                result = spec.task.apply_async(kwargs=kwargs)
                self.stdout.write(f"{job} {day or ''} queued as {result.id}")
            else:
                result = spec.task(**kwargs)  # called directly: here, errors raised as they are
                self.stdout.write(f"{job} {day or ''}: {json.dumps(result, default=str)}")
