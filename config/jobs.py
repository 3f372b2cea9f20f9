"""Periodic jobs: Celery tasks with the house retry policy, listed for run_jobs.

A job takes an ISO date (or a range) or nothing, is idempotent, and calls one
service. Transient database trouble (a dropped connection, a deadlock victim)
is retried with exponential backoff; a bug is not retried, it fails loudly.

Tasks are queued here and nowhere else (enqueue, enqueue_on_commit). With a
broker, a task asked for inside a transaction is written to the outbox
(config.models.OutboxTask) in that transaction and published after the commit;
when the broker cannot be reached within REDIS_TIMEOUT the row stays, and the
`config.outbox_resend` job (every minute, from beat) sends it once the broker is
back. So a Redis outage delays emails and notifications but loses none, and no
request waits on the broker for more than one timeout.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .models import OutboxTask

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    task: object  # the Celery task
    dated: bool  # takes day="YYYY-MM-DD" (None: its own default)
    help: str


JOBS: dict[str, Job] = {}


def job(name: str, *, dated: bool = False, by_hand: bool = True) -> Callable:
    """A task with the retry policy; `by_hand=False` keeps it out of run_jobs (it needs
    arguments only the site gives, such as an export's id)."""
    limits = settings.POPCORN["JOB_TIME_LIMITS"]

    def register(func):
        task = shared_task(
            name=name,
            acks_late=True,
            autoretry_for=(OperationalError, InterfaceError),
            retry_backoff=True,
            retry_backoff_max=600,
            retry_jitter=True,
            retry_kwargs={"max_retries": 5},
            soft_time_limit=limits["soft"],
            time_limit=limits["hard"],
        )(func)
        if by_hand:
            JOBS[name] = Job(
                name=name, task=task, dated=dated, help=(func.__doc__ or "").strip().split("\n")[0]
            )
        return task

    return register


def job_work_mem(using: str = "default") -> None:
    """Give the set-based job's transaction POPCORN["JOB_WORK_MEM"] of sort/hash memory
    (PostgreSQL, SET LOCAL: gone at its commit), so its grouped passes over a million
    members stay in memory rather than spilling to temporary files. Call inside the
    job's transaction.atomic; elsewhere it does nothing."""
    connection = transaction.get_connection(using)
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('work_mem', %s, true)", [settings.POPCORN["JOB_WORK_MEM"]]
        )


def load_jobs() -> dict[str, Job]:
    """Import every app's tasks module so all jobs are registered."""
    _app().loader.import_default_modules()
    return JOBS


# What publishing raises when the broker cannot be reached (kombu wraps most of it).
BROKER_UNREACHABLE = (KombuOperationalError, OSError, RedisConnectionError, RedisTimeoutError)
# How long a process sends straight to the outbox after a failed publish, so a request
# pays the broker's timeout once per outage window, not once per task.
BROKER_RETRY_SECONDS = 10.0
# Rows younger than this may still be on their way (their commit's publish runs now).
OUTBOX_GRACE = timedelta(seconds=30)
OUTBOX_BATCH = 500

_broker_down_until = 0.0


def _app():
    from .celery import app

    return app


def _task(name: str):
    app = _app()
    if name not in app.tasks:
        load_jobs()
    return app.tasks[name]


def _eager() -> bool:
    return bool(_app().conf.task_always_eager)


def broker_reset() -> None:
    """Forget an outage (tests; the resend job once the broker took a task)."""
    global _broker_down_until
    _broker_down_until = 0.0


def _publish(name: str, args, kwargs) -> str:
    """Hand the task to the broker: "" when it took it, else why not (logged)."""
    global _broker_down_until
    task = _task(name)
    if time.monotonic() < _broker_down_until:
        return "broker unreachable a moment ago"
    try:
        # No result to wait for: the result backend is Redis too, and asking it to
        # watch for one is another connection that can hang.
        task.apply_async(args, kwargs, ignore_result=True)
    except BROKER_UNREACHABLE as exc:
        if time.monotonic() >= _broker_down_until:
            logger.warning(
                "broker unreachable (%s); tasks wait in the outbox for %.0f s at least",
                exc,
                BROKER_RETRY_SECONDS,
            )
        _broker_down_until = time.monotonic() + BROKER_RETRY_SECONDS
        return str(exc)[:500] or type(exc).__name__
    return ""


def _outbox_failed(pk: int, error: str) -> None:
    OutboxTask.objects.filter(pk=pk).update(attempts=F("attempts") + 1, last_error=error)


def enqueue(name: str, *args, **kwargs) -> None:
    """Queue the task registered under `name` now (eagerly when no broker is set).

    A broker that cannot be reached does not lose it: it is kept in the outbox
    and sent by the `config.outbox_resend` job.
    """
    if _eager():
        _task(name).apply_async(args, kwargs)
        return
    error = _publish(name, args, kwargs)
    if error:
        OutboxTask.objects.create(name=name, args=list(args), kwargs=kwargs, last_error=error)


def enqueue_on_commit(name: str, *args, **kwargs) -> None:
    """Queue a task by name once the current transaction commits.

    Services call this instead of importing their app's tasks module, so the
    file graph stays free of cycles (services never import tasks). With a broker,
    the task is first written to the outbox inside the transaction, so it is
    committed with the write it belongs to and survives a broker that is down or
    a process that dies before publishing; once the broker takes it the row is
    deleted. `robust`: nothing that happens after the commit may turn it into a 500.
    """
    if _eager() or not transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: enqueue(name, *args, **kwargs), robust=True)
        return
    row = OutboxTask.objects.create(name=name, args=list(args), kwargs=kwargs)

    def publish():
        error = _publish(name, row.args, row.kwargs)
        if error:
            _outbox_failed(row.pk, error)
        else:
            # One DELETE, without the collector's transaction around it (nothing cascades).
            sent = OutboxTask.objects.filter(pk=row.pk)
            sent._raw_delete(sent.db)

    transaction.on_commit(publish, robust=True)


def outbox_resend(*, grace: timedelta = OUTBOX_GRACE, batch: int = OUTBOX_BATCH) -> dict:
    """Send the outbox's tasks older than `grace`, oldest first, until the broker refuses.

    Rows are locked (SKIP LOCKED on PostgreSQL) so two runs never send the same one.
    """
    broker_reset()  # this job runs on a worker, so the broker is there
    sent, error = [], ""
    with transaction.atomic():
        rows = list(
            OutboxTask.objects.select_for_update(skip_locked=True)
            .filter(created_at__lte=timezone.now() - grace)
            .order_by("created_at", "id")[:batch]
        )
        for row in rows:
            error = _publish(row.name, row.args, row.kwargs)
            if error:
                _outbox_failed(row.pk, error)
                break
            sent.append(row.pk)
        OutboxTask.objects.filter(pk__in=sent).delete()
    return {"sent": len(sent), "left": OutboxTask.objects.count(), "error": error}
