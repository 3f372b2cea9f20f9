"""Reads to PostgreSQL replicas, where it is safe (settings.DATABASE_REPLICAS).

Only a page read (GET or HEAD) outside any transaction reads from a replica, and only
when its visitor has not written in the last REPLICA_STICKY_SECONDS (the cookie
PrimaryAfterWriteMiddleware sets on a write): a member sees their own reply at once,
even while the replica lags. Everything else, writes, reads inside transaction.atomic,
Celery jobs, management commands, stays on the primary, which is also where migrations
run. The choice is a context variable, so it follows each request (threads and async).
"""

import random
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

# True: read from the primary. Off only for the duration of a replica-safe request.
_primary_reads: ContextVar[bool] = ContextVar("primary_reads", default=True)


def reads_from_primary(value: bool):
    """Set for the current context; returns the token to reset it with."""
    return _primary_reads.set(value)


def reset_reads(token) -> None:
    _primary_reads.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = settings.DATABASE_REPLICAS
        if not replicas or _primary_reads.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return random.choice(replicas)

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
