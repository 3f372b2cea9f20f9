import threading
from collections.abc import Callable, Iterable

import pytest
from django.db import connection

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (row locks, concurrent connections, GIN indexes, EXPLAIN)",
)


def run_at_once(items: Iterable, work: Callable) -> tuple[list, list[Exception]]:
    """Run work(item, wait) for every item in its own thread and database connection.

    Each worker calls wait() at the moment it should collide with the others;
    returns (results, errors) so the test asserts on both.
    """
    items = list(items)
    start = threading.Barrier(len(items))
    results, errors = [], []

    def run(item):
        try:
            results.append(work(item, start.wait))
        except Exception as exc:  # noqa: BLE001 - handed back to the test
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(item,)) for item in items]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results, errors
