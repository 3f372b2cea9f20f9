"""The mixed-load test: `make load [PRESET=smoke|peer] [LOAD_ARGS="--redis-down-halfway"]`.

Reuses the benchmark's dataset (bench.run builds or clones it) and serves Popcorn the
same way (gunicorn, production settings, PostgreSQL, a Celery worker), but on a Redis
of its own (port BENCH_LOAD_REDIS_PORT, 6391), so `--redis-down-halfway` can stop it
mid-run without touching anyone else's. CONNECTIONS clients, each on one kept-alive
connection, run for SECONDS a mix of anonymous readers, signed-in readers, repliers,
likers, thread starters and check-ins; every request that writes carries a token.

Then it proves nothing was lost: every reply and thread that got a success answer
exists once (by its token), floors are unique and gapless in every thread, and every
denormalised counter (threads' replies, boards' threads and posts, posts' likes,
members' posts and reputation) equals its recount. It prints one table and writes it as
JSON to bench/results/load-<preset>-<timestamp>.json; it exits non-zero if any answer
was a 5xx or a check failed.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime
from urllib.parse import urlencode

from bench import run as bench
from bench.presets import PRESETS

REDIS_PORT = int(os.environ.get("BENCH_LOAD_REDIS_PORT", "6391"))
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
MIX = {
    "read_anonymous": 35,
    "read_signed_in": 30,
    "reply": 15,
    "like": 10,
    "start_thread": 5,
    "check_in": 5,
}
SUCCESS = {
    "read_anonymous": {200},
    "read_signed_in": {200},
    "reply": {302},
    "like": {200, 302},
    "start_thread": {302},
    # Once a day each: the second answer of the day is a refusal back to the page.
    "check_in": {200, 302},
}


def redis_start() -> subprocess.Popen:
    proc = subprocess.Popen(  # noqa: S603 - the system's redis-server
        [
            shutil.which("redis-server"),
            "--port",
            str(REDIS_PORT),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        ping = subprocess.run(  # noqa: S603
            [shutil.which("redis-cli"), "-p", str(REDIS_PORT), "ping"],
            capture_output=True,
            text=True,
        )
        if "PONG" in ping.stdout:
            return proc
        time.sleep(0.2)
    raise SystemExit("the load test's Redis did not start")


def _redis(*command: str) -> str:
    return subprocess.run(  # noqa: S603
        [shutil.which("redis-cli"), "-p", str(REDIS_PORT), *command],
        capture_output=True,
        text=True,
    ).stdout.strip()


def wait_for_worker(limit: float = 300) -> float:
    """Wait until the worker has taken and finished every queued task (the broker's
    queue and its unacknowledged set both empty, twice in a row); the seconds waited."""
    started = time.monotonic()
    idle = 0
    while time.monotonic() - started < limit and idle < 2:
        busy = int(_redis("LLEN", "celery") or 0) + int(_redis("HLEN", "unacked") or 0)
        idle = idle + 1 if busy == 0 else 0
        time.sleep(1)
    return round(time.monotonic() - started, 1)


def redis_stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)  # as a crash: no goodbye to the clients
        proc.wait(timeout=10)


class Client(threading.Thread):
    """One connection, one member (or none), requests drawn from MIX until the end."""

    def __init__(self, n, plan, deadline, member, results):
        super().__init__(daemon=True)
        self.n, self.plan, self.deadline, self.member, self.results = (
            n,
            plan,
            deadline,
            member,
            results,
        )
        self.rng = random.Random(n)

    def run(self):
        connection = http.client.HTTPConnection(bench.HOST, bench.POPCORN_PORT, timeout=30)
        kinds, weights = zip(*MIX.items(), strict=True)
        count = 0
        while time.monotonic() < self.deadline:
            kind = self.rng.choices(kinds, weights)[0]
            count += 1
            token = f"load-{self.n}-{count}"
            method, path, body = self.request(kind, token)
            headers = {"Host": bench.HOST, "Referer": f"http://{bench.HOST}/"}
            if kind != "read_anonymous":
                headers["Cookie"] = self.member["cookie"]
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                body = urlencode({"csrfmiddlewaretoken": self.member["csrf"], **body})
            started = time.monotonic()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                connection.close()
                connection = http.client.HTTPConnection(bench.HOST, bench.POPCORN_PORT, timeout=30)
            self.results.append((kind, status, token, time.monotonic() - started))

    def request(self, kind, token):
        plan = self.plan
        if kind in ("read_anonymous", "read_signed_in"):
            return "GET", self.rng.choice(plan["pages"]), None
        if kind == "reply":
            thread = self.rng.choice(plan["threads"])
            return "POST", f"/t/{thread}/reply/", {"body": f"Same here ({token}), 14.0.3."}
        if kind == "like":
            return "POST", f"/p/{self.rng.choice(plan['posts'])}/like/", {}
        if kind == "start_thread":
            board = self.rng.choice(plan["boards"])
            return (
                "POST",
                f"/b/{board}/new/",
                {
                    "title": f"Battery drains overnight {token}",
                    "thread_type": "discussion",
                    "body": f"Since the update ({token}).",
                },
            )
        return "POST", "/check-in/", {}


def make_plan(members: int) -> dict:
    """Pages to read, threads to reply to, posts to like, members to be."""
    from accounts.models import User
    from forum.models import Board, Post, Thread

    threads = list(Thread.objects.filter(is_hidden=False).order_by("-id")[:50])
    boards = list(Board.objects.values_list("slug", flat=True)[:5])
    pages = ["/"] + [f"/b/{slug}/" for slug in boards]
    pages += [t.get_absolute_url() for t in threads[:20]]
    posts = list(Post.objects.filter(thread__in=threads[:20]).values_list("pk", flat=True)[:400])
    people = []
    for user in User.objects.filter(is_active=True, is_staff=False).order_by("pk")[:members]:
        cookie, csrf = bench.session_cookie(user)
        people.append({"cookie": cookie, "csrf": csrf})
    return {
        "pages": pages,
        "threads": [t.pk for t in threads],
        "boards": boards,
        "posts": posts,
        "members": people,
    }


def drain_outbox(db: str) -> list[dict]:
    """Run the outbox job as beat would, until the outbox is empty: it sends only rows past
    their grace, so the tasks of the run's last seconds wait for a later run."""
    from config.jobs import OUTBOX_GRACE
    from config.models import OutboxTask

    runs = []
    time.sleep(OUTBOX_GRACE.total_seconds() + 1)
    for _ in range(20):
        left = OutboxTask.objects.count()
        runs.append({"waiting": left})
        if not left:
            break
        bench.manage("run_jobs", "config.outbox_resend", db=db)
    return runs


def checks(results, plan) -> dict:
    """Nothing lost, nothing doubled, every counter equal to its recount: the counters are
    read, the repair paths recount them (sync_counters' services, the likes' recount, the
    nightly reputation reconciliation), and every value the repair changed is a drift."""
    from django.db.models import Count, F, Max, Q

    from accounts import services as accounts_services
    from forum import services as forum_services
    from forum.models import Board, Post, Thread

    out = {}
    replied = [token for kind, status, token, _ in results if kind == "reply" and status == 302]
    started = [t for kind, status, t, _ in results if kind == "start_thread" and status == 302]
    found = Counter()
    for source in Post.objects.filter(source__contains="(load-").values_list("source", flat=True):
        found[source.split("(", 1)[1].split(")", 1)[0]] += 1
    out["replies_answered_ok"] = len(replied)
    out["replies_missing"] = sum(1 for token in replied if found[token] == 0)
    out["posts_doubled"] = sum(1 for n in found.values() if n > 1)
    titles = Counter(
        title.rsplit(" ", 1)[1]
        for title in Thread.objects.filter(title__contains=" load-").values_list("title", flat=True)
    )
    out["threads_answered_ok"] = len(started)
    out["threads_missing"] = sum(1 for token in started if titles[token] == 0)
    out["threads_doubled"] = sum(1 for n in titles.values() if n > 1)

    touched = Thread.objects.filter(pk__in=plan["threads"]) | Thread.objects.filter(
        title__contains=" load-"
    )
    numbered = touched.annotate(
        posts_n=Count("posts", filter=Q(posts__floor__isnull=False)),
        top=Max("posts__floor"),
        distinct=Count("posts__floor", distinct=True),
    )
    out["threads_with_floor_gaps"] = sum(
        1 for t in numbered if t.posts_n and not (t.posts_n == t.distinct == t.top)
    )
    # last_posted_at is a time, not a counter: the write path stamps now(), the repair
    # path takes the last post's created_at, microseconds apart; it is not compared.
    counted = ["reply_count", "last_floor", "pending_count", "last_poster_name"]
    before = {t["pk"]: t for t in touched.values("pk", *counted)}
    for thread in touched.only("pk", "board_id"):
        forum_services.thread_sync_counters(thread=thread)
    after = {t["pk"]: t for t in Thread.objects.filter(pk__in=before).values("pk", *counted)}
    off = Counter(
        field for pk in before for field in counted if before[pk][field] != after[pk][field]
    )
    out["thread_counters_off"] = sum(off.values())
    out["thread_counters_off_by_field"] = dict(off)
    board_fields = ["thread_count", "post_count"]
    boards_before = {b["pk"]: b for b in Board.objects.values("pk", *board_fields)}
    for board in Board.objects.all():
        forum_services.board_sync_counters(board=board)
    boards_after = {b["pk"]: b for b in Board.objects.values("pk", *board_fields)}
    out["board_counters_off"] = sum(
        1 for pk in boards_before if boards_before[pk] != boards_after[pk]
    )
    likes_off = Post.objects.filter(pk__in=plan["posts"]).annotate(real=Count("likes"))
    out["like_counts_off"] = likes_off.exclude(like_count=F("real")).count()
    out["reputation_totals_off"] = accounts_services.reputation_reconcile().users_repaired
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Popcorn's mixed-load test")
    parser.add_argument("--preset", choices=["smoke", "peer"], default="smoke")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--redis-down-halfway", action="store_true")
    args = parser.parse_args()
    preset = PRESETS[args.preset]

    os.environ.update(bench.ENV_OVERRIDES)
    os.environ["REDIS_URL"] = REDIS_URL
    os.environ["DATABASE_URL"] = f"{bench.PG}/{bench.DB_PREFIX}_{preset.name}"
    import django

    django.setup()

    servers = bench.Servers()
    redis_proc = None
    report = {
        "preset": preset.name,
        "connections": args.connections,
        "seconds": args.seconds,
        "redis_down_halfway": args.redis_down_halfway,
        "started_at": datetime.now().isoformat(timespec="seconds"),
    }
    try:
        db, report["database"] = bench.prepare_database(preset, rebuild=False)
        from django.db import connection

        connection.close()
        bench.manage("collectstatic", "--noinput", "-v0", db=db, timeout=600)
        redis_proc = redis_start()
        env = dict(os.environ)
        servers.start(
            "popcorn",
            [
                str(bench.BIN / "gunicorn"),
                "config.wsgi:application",
                "-b",
                f"{bench.HOST}:{bench.POPCORN_PORT}",
                *bench.GUNICORN,
            ],
            env,
        )
        servers.start(
            "worker",
            [
                str(bench.BIN / "celery"),
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=WARNING",
            ],
            env,
        )
        servers.wait_http("popcorn", f"http://{bench.HOST}:{bench.POPCORN_PORT}/")
        plan = make_plan(args.connections)
        connection.close()
        results: list = []
        deadline = time.monotonic() + args.seconds
        clients = [
            Client(n, plan, deadline, plan["members"][n % len(plan["members"])], results)
            for n in range(args.connections)
        ]
        bench.say(f"{args.connections} connections for {args.seconds} s")
        for client in clients:
            client.start()
        if args.redis_down_halfway:
            time.sleep(args.seconds / 2)
            bench.say("stopping Redis")
            redis_stop(redis_proc)
        for client in clients:
            client.join()
        if args.redis_down_halfway:
            bench.say("Redis back; the outbox resends what waited")
            redis_proc = redis_start()
            report["outbox_resends"] = drain_outbox(db)
        # The checks run once the worker has done what the requests queued after commit.
        report["worker_drain_seconds"] = wait_for_worker()
        statuses = Counter(status for _, status, _, _ in results)
        kinds = Counter(kind for kind, _, _, _ in results)
        ok = Counter(kind for kind, status, _, _ in results if status in SUCCESS[kind])
        latencies = sorted(seconds for *_, seconds in results)
        report["requests"] = len(results)
        report["per_second"] = round(len(results) / args.seconds, 1)
        report["p50_ms"] = round(latencies[len(latencies) // 2] * 1000, 1) if latencies else None
        report["p99_ms"] = (
            round(latencies[int(len(latencies) * 0.99)] * 1000, 1) if latencies else None
        )
        report["statuses"] = {str(k): v for k, v in sorted(statuses.items())}
        report["by_kind"] = {k: {"sent": kinds[k], "ok": ok[k]} for k in MIX}
        report["errors_5xx"] = sum(v for k, v in statuses.items() if k >= 500)
        report["connection_errors"] = statuses.get(0, 0)
        report["checks"] = checks(results, plan)
    finally:
        servers.stop()
        if redis_proc is not None:
            redis_stop(redis_proc)
    bench.RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"load-{preset.name}-{datetime.now():%Y%m%d-%H%M%S}.json"
    (bench.RESULTS / name).write_text(json.dumps(report, indent=2, default=str))
    print(json.dumps(report, indent=2, default=str))
    failed = (
        report["errors_5xx"]
        or report["connection_errors"]
        or any(report["checks"][k] for k in report["checks"] if not k.endswith("answered_ok"))
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
