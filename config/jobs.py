"""Periodic jobs: Celery tasks with the house retry policy, listed for run_jobs.

A job takes an ISO date (or a range) or nothing, is idempotent, and calls one
service. Transient database trouble (a dropped connection, a deadlock victim)
is retried with exponential backoff; a bug is not retried, it fails loudly.
"""

from collections.abc import Callable
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction


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


def load_jobs() -> dict[str, Job]:
    """Import every app's tasks module so all jobs are registered."""
    from .celery import app

    app.loader.import_default_modules()
    return JOBS


def enqueue(name: str, *args, **kwargs) -> None:
    """Queue the task registered under `name` now (eagerly when no broker is set)."""
    from .celery import app

    if name not in app.tasks:
        load_jobs()
    app.tasks[name].apply_async(args, kwargs)


def enqueue_on_commit(name: str, *args, **kwargs) -> None:
    """Queue a task by name once the current transaction commits.

    Services call this instead of importing their app's tasks module, so the
    file graph stays free of cycles (services never import tasks). `robust`:
    a broker that refuses the message must not turn a committed write into a 500.
    """
    transaction.on_commit(lambda: enqueue(name, *args, **kwargs), robust=True)
