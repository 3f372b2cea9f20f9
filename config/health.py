"""GET /health/: whether this web process can serve, for the load balancer and compose.

Four checks, each bounded by the timeouts the site itself uses (REDIS_TIMEOUT for
the cache and the broker), so the endpoint answers within a second or two even
with a dependency gone:

- database and storage: the site cannot serve without them; either down is a 503,
  so the load balancer takes this process out of rotation;
- cache and broker: the site serves without them (config.cache fails soft, tasks
  wait in config.jobs' outbox); either down is a 200 with "degraded", so an
  outage of Redis never takes every web process out at once.

The answer is JSON, never cached, and names each check's state and time; errors
are given by kind only (a public page tells no hostnames or passwords).
"""

import time
import uuid

from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

CRITICAL = ("database", "storage")


def _database() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _cache() -> str:
    backend = caches["default"]
    if hasattr(backend, "ping"):  # config.cache.ResilientRedisCache: ask Redis itself
        backend.ping()
        return "ok"
    key = f"health:{uuid.uuid4().hex}"
    backend.set(key, "ok", 10)
    found = backend.get(key)
    backend.delete(key)
    if found != "ok":
        raise RuntimeError("the cache kept nothing")
    return "ok"


def _broker() -> str:
    from config.celery import app

    if app.conf.task_always_eager:
        return "in-process"  # no broker: tasks run in the web process
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=0)  # one try, within REDIS_TIMEOUT
        connection.default_channel.client.ping()
    return "ok"


def _storage() -> str:
    name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)
    return "ok"


CHECKS = {"database": _database, "cache": _cache, "broker": _broker, "storage": _storage}


def run_checks() -> dict[str, dict]:
    results = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            state, ok = check(), True
        except Exception as exc:  # noqa: BLE001 - a check reports, it never raises
            state, ok = f"down: {type(exc).__name__}", False
        results[name] = {"ok": ok, "state": state, "ms": round(1000 * (time.monotonic() - started))}
    return results


@never_cache
@require_GET
def health(request):
    checks = run_checks()
    if any(not checks[name]["ok"] for name in CRITICAL):
        status, code = "down", 503
    elif all(check["ok"] for check in checks.values()):
        status, code = "ok", 200
    else:
        status, code = "degraded", 200
    return JsonResponse({"status": status, "checks": checks}, status=code)
