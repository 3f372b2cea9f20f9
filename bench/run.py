"""The benchmark: `make bench PRESET=smoke|peer|seed` (or python -m bench.run --preset ...).

1. Builds the preset's dataset once into popcorn_bench_<preset>_built (bench.generate,
   from the models) and clones it into popcorn_bench_<preset> for this run, so
   every run starts from the same rows. A changed generator, preset or set of
   migrations rebuilds it; --rebuild forces it. seed is built in place and
   resumes an interrupted build.
2. Serves Popcorn (config.wsgi, config.settings.production) and the floor (a
   bare Django view returning 30 KB, bench.floor) with the same gunicorn
   settings, on 127.0.0.1 only, with a Celery worker for the tasks posts queue.
3. Loads both with wrk: the floor before and after the pages, each page
   anonymous and signed in; then replies through the HTTP endpoint, several
   members at once; then times the daily jobs in-process (manage.py run_jobs).
4. Prints one table and writes it as JSON to bench/results/<preset>-<timestamp>.json.

Speed is reported, not asserted; the smoke preset fails only if a page did not
answer 2xx/3xx, a request errored, a reply was refused or a job raised.
"""

import argparse
import io
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import suppress
from datetime import datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.presets import PRESETS  # noqa: E402

BIN = Path(sys.executable).parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
# Database names: <prefix>_<preset> (and _built); another prefix keeps two runs apart.
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "popcorn_bench")
HOST = "127.0.0.1"
POPCORN_PORT = int(os.environ.get("BENCH_POPCORN_PORT", "8701"))
FLOOR_PORT = int(os.environ.get("BENCH_FLOOR_PORT", "8702"))
GUNICORN = ["-w", "2", "-k", "sync", "--timeout", "30", "--graceful-timeout", "5"]
RESULTS = ROOT / "bench" / "results"
LOGS = RESULTS / "logs"

# What production settings need to run over plain http on loopback; every
# security default stays as it is unless its variable is set here.
ENV_OVERRIDES = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "bench-" + "not-a-real-secret-" * 3,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SITE_URL": f"http://{HOST}:{POPCORN_PORT}",  # production settings require it
    "SECURE_SSL_REDIRECT": "False",  # no TLS on loopback
    "SECURE_HSTS_SECONDS": "0",
    "POSTING_LIMITS_ENABLED": "False",  # 8 members replying flat out would hit them
    "EMAIL_URL": "dummymail://",
    "LOG_LEVEL": "WARNING",
    "REDIS_URL": REDIS,
}


def say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


# ---------------------------------------------------------------------------
# Databases


def admin(sql: str, params=None, fetch=False):
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        cur = conn.execute(sql, params)
        return cur.fetchall() if fetch else None


def db_exists(name: str) -> bool:
    return bool(admin("SELECT 1 FROM pg_database WHERE datname = %s", [name], fetch=True))


def db_state(name: str) -> dict:
    rows = admin(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        [name],
        fetch=True,
    )
    try:
        return json.loads(rows[0][0]) if rows and rows[0][0] else {}
    except ValueError:
        return {}


def drop_db(name: str) -> None:
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args, db: str, timeout: int = 3600) -> None:
    env = {**os.environ, "DATABASE_URL": f"{PG}/{db}"}
    subprocess.run(  # noqa: S603 - our own commands
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=timeout
    )


def build(preset, db: str) -> float:
    started = time.monotonic()
    if not db_exists(db):
        admin(f'CREATE DATABASE "{db}"')
    say(f"migrating {db}")
    manage("migrate", "--noinput", "-v0", db=db)
    say(f"generating the {preset.name} dataset into {db}")
    env = {**os.environ, "DATABASE_URL": f"{PG}/{db}"}
    subprocess.run(  # noqa: S603 - our own commands
        [sys.executable, "-m", "bench.generate", "--preset", preset.name],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=6 * 3600,
    )
    return time.monotonic() - started


def prepare_database(preset, rebuild: bool) -> tuple[str, dict]:
    """The database this run uses, and what building it cost."""
    from bench.generate import fingerprint

    run_db = f"{DB_PREFIX}_{preset.name}"
    info = {"database": run_db}
    if preset.name == "seed":
        wanted = f"{fingerprint(preset)}@{float(os.environ.get('BENCH_SEED_SCALE', '1'))}"
        state = db_state(run_db) if db_exists(run_db) else {}
        if rebuild or state.get("fingerprint") not in (None, wanted):
            say(f"dropping {run_db}: another build (or --rebuild)")
            drop_db(run_db)
            state = {}
        if "analyze" in state.get("done", []):
            say(f"{run_db} is built; reusing it, migrated forward (--rebuild to start over)")
            manage("migrate", "--noinput", "-v0", db=run_db)
            info["build_seconds"] = None
        else:
            info["build_seconds"] = build(preset, run_db)
        return run_db, info
    built = f"{run_db}_built"
    wanted = fingerprint(preset)
    state = db_state(built) if db_exists(built) else {}
    if rebuild or state.get("fingerprint") != wanted or "all" not in state.get("done", []):
        drop_db(built)
        info["build_seconds"] = build(preset, built)
    else:
        say(f"{built} is up to date; reusing it (--rebuild to build again)")
        info["build_seconds"] = None
    started = time.monotonic()
    drop_db(run_db)
    admin(f'CREATE DATABASE "{run_db}" TEMPLATE "{built}"')
    info["clone_seconds"] = round(time.monotonic() - started, 1)
    return run_db, info


# ---------------------------------------------------------------------------
# Servers, always stopped on the way out


class Servers:
    def __init__(self):
        self.procs: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, cmd: list[str], env: dict) -> subprocess.Popen:
        LOGS.mkdir(parents=True, exist_ok=True)
        log = open(LOGS / f"{name}.log", "w")  # noqa: SIM115 - kept open for the process
        proc = subprocess.Popen(  # noqa: S603 - our own commands
            cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.procs.append((name, proc))
        return proc

    def wait_http(self, name: str, url: str, seconds: int = 60) -> None:
        proc = dict(self.procs)[name]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                tail = (LOGS / f"{name}.log").read_text()[-3000:]
                raise SystemExit(f"{name} exited with {proc.returncode}:\n{tail}")
            try:
                urllib.request.urlopen(url, timeout=5)  # noqa: S310 - our http URL.read()
                return
            except urllib.error.HTTPError:
                return  # it answered
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"{name} did not answer at {url} within {seconds} s")

    def stop(self) -> None:
        for _name, proc in self.procs:
            if proc.poll() is None:
                with suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        for _name, proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        self.procs = []


# ---------------------------------------------------------------------------
# Load


def wrk(
    url: str,
    preset,
    *,
    headers=(),
    script="report.lua",
    threads=None,
    connections=None,
    seconds=None,
    env=None,
) -> dict:
    seconds = seconds or preset.wrk_seconds
    cmd = [
        "wrk",
        f"-t{threads or preset.wrk_threads}",
        f"-c{connections or preset.wrk_connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "wrk" / script),
    ]
    for header in headers:
        cmd += ["-H", header]
    cmd.append(url)
    out = subprocess.run(  # noqa: S603 - our own commands
        cmd, capture_output=True, text=True, timeout=seconds + 60, env=env or os.environ
    )
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no summary for {url}:\n{out.stdout}\n{out.stderr}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    secs = data["duration_us"] / 1e6
    data["rps"] = data["requests"] / secs if secs else 0.0
    data["errors"] = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    data["p50_ms"] = data["p50_us"] / 1000
    data["p99_ms"] = data["p99_us"] / 1000
    return data


def session_cookie(user) -> tuple[str, str]:
    """A signed-in session for `user`, as the browser would send it, plus a CSRF cookie."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.crypto import get_random_string

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    csrf = get_random_string(32)  # an unmasked secret is a valid token for Django's check
    cookie = (
        f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
    )
    return cookie, csrf


def client_for(cookie: str | None):
    from django.test import Client

    client = Client(HTTP_HOST=HOST)
    if cookie:
        jar = SimpleCookie()
        jar.load(cookie)
        for key, morsel in jar.items():
            client.cookies[key] = morsel.value
    return client


def count_queries(path: str, cookie: str | None) -> dict:
    """Fetch once cold and once warm in-process; the queries each fetch ran."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(cookie)
    out = {}
    for label in ("cold", "warm"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        out[label] = len(queries)
        out["status"] = response.status_code
        out["bytes"] = len(response.content)
    return out


def pages(preset) -> list[tuple[str, str]]:
    from django.conf import settings
    from django.urls import reverse

    from bench.generate import SEARCH_WORD
    from forum.models import Board, Thread

    board = Board.objects.order_by("-thread_count", "id").first()
    board_url = reverse("forum:board", kwargs={"slug": board.slug})
    board_pages = max(1, math.ceil(board.thread_count / settings.POPCORN["THREADS_PER_PAGE"]))
    thread = Thread.objects.filter(board=board).order_by("-last_floor", "id").first()
    thread_url = thread.get_absolute_url()
    return [
        ("front page", reverse("forum:index")),
        ("board page 1", board_url),
        (f"board page last ({board_pages})", f"{board_url}?page={board_pages}"),
        (f"thread page 1 (of {thread.last_floor} posts)", thread_url),
        (f"thread page last ({thread.page_count})", f"{thread_url}?page={thread.page_count}"),
        (f"search ({SEARCH_WORD})", f"{reverse('forum:search')}?q={SEARCH_WORD}"),
        ("notification list", reverse("accounts:notifications")),
        # What each open page costs while it sits there: the header's counts poll (204 when
        # unchanged) and an open thread's "N new replies" poll (0 when none).
        ("live: bell poll", f"{reverse('accounts:header_counts')}?n=0&m=0"),
        (
            "live: new replies poll",
            f"{reverse('forum:thread_new_replies', kwargs={'pk': thread.pk})}"
            f"?after={thread.last_floor}",
        ),
    ]


def measure_replies(preset, base: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User
    from bench.generate import PROBE, REPLIERS_FROM, REPLY_THREAD_TITLE
    from forum.models import Post, Thread

    thread = Thread.objects.get(title=REPLY_THREAD_TITLE)
    path = reverse("forum:reply", kwargs={"pk": thread.pk})
    # One reply in-process first, to count its queries (on_commit work included).
    probe_cookie, probe_csrf = session_cookie(User.objects.get(username=PROBE))
    with CaptureQueriesContext(connection) as queries:
        response = client_for(probe_cookie).post(
            path, {"body": "Counting the queries of one reply.", "csrfmiddlewaretoken": probe_csrf}
        )
    probe = {"status": response.status_code, "queries": len(queries)}

    names = [f"member{REPLIERS_FROM + i}" for i in range(preset.reply_members)]
    auth = []
    for user in User.objects.filter(username__in=names):
        cookie, csrf = session_cookie(user)
        auth.append(f"{cookie}|{csrf}")
    before = Post.objects.filter(thread=thread).count()
    env = {**os.environ, "BENCH_REPLY_PATH": path, "BENCH_REPLY_AUTH": ",".join(auth)}
    data = wrk(
        base,
        preset,
        script="reply.lua",
        threads=len(auth),
        connections=len(auth),
        seconds=preset.reply_seconds,
        env=env,
    )
    after = Post.objects.filter(thread=thread).count()
    floors = list(
        Post.objects.filter(thread=thread).order_by("floor").values_list("floor", flat=True)
    )
    secs = data["duration_us"] / 1e6
    data.update(
        members=len(auth),
        posts_written=after - before,
        replies_per_s=(after - before) / secs if secs else 0.0,
        floors_gapless=floors == list(range(1, len(floors) + 1)),
        probe=probe,
    )
    data["errors"] += data["refused"] - data["status"]  # 200 form errors count too
    return data


# ---------------------------------------------------------------------------
# Jobs


# Open programs the flagging job works on: the worst case (no criteria: every active
# member is a candidate) and a core-like one. Made before the jobs, kept between runs.
JOB_PROGRAMS = (
    ("bench-everyone", {}),
    ("bench-regulars", {"min_days_active_30d": 15, "min_posts_30d": 1}),
)


def job_fixtures() -> None:
    from accounts.models import Program

    for slug, criteria in JOB_PROGRAMS:
        Program.objects.get_or_create(
            slug=slug,
            defaults={
                "name": slug,
                "seats": 1000,
                "status": Program.Status.OPEN,
                "requalify_weekly": True,
                **criteria,
            },
        )


def measure_export(db: str) -> dict:
    """The member CSV export as its job writes it, in a process of its own (bench/export.py),
    so its peak resident memory is the export's."""
    env = {**os.environ, "DATABASE_URL": f"{PG}/{db}"}
    out = subprocess.run(
        [sys.executable, "-m", "bench.export"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        return {"error": (out.stderr or out.stdout)[-500:] or f"exited with {out.returncode}"}
    return json.loads(line.removeprefix("BENCH_JSON "))


def run_jobs() -> list[dict]:
    from django.core.management import call_command
    from django.utils import timezone

    job_fixtures()

    listing = io.StringIO()
    call_command("run_jobs", stdout=listing)
    jobs = []
    for line in listing.getvalue().splitlines():
        if line and not line[0].isspace():
            jobs.append((line.split()[0], "--date" in line))
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    results = []
    for name, dated in jobs:
        for attempt in (1, 2):
            out = io.StringIO()
            started = time.monotonic()
            error = None
            try:
                if dated:
                    call_command("run_jobs", name, date=day, stdout=out)
                else:
                    call_command("run_jobs", name, stdout=out)
            except Exception as exc:  # noqa: BLE001 - reported in the table; smoke fails on it
                error = f"{type(exc).__name__}: {exc}"
            results.append(
                {
                    "job": name,
                    "run": attempt,
                    "date": day if dated else None,
                    "seconds": round(time.monotonic() - started, 3),
                    "result": out.getvalue().strip()[:300],
                    "error": error,
                }
            )
            say(f"{name} run {attempt}: {results[-1]['seconds']:.2f} s {error or ''}")
    return results


# ---------------------------------------------------------------------------
# Report


def render(report: dict) -> str:
    lines = []
    p = report["preset"]
    lines.append(
        f"\nPopcorn benchmark, preset {p['name']}: {p['members']:,} members, {p['boards']} boards, "
        f"{p['threads']:,} threads, {p['posts']:,} posts"
        + (
            f" (scaled by BENCH_SEED_SCALE={report['seed_scale']})"
            if report.get("seed_scale")
            else ""
        )
    )
    if report.get("pages"):
        floor = report["floor"]
        lines.append(
            f"wrk -t{p['wrk_threads']} -c{p['wrk_connections']} -d{p['wrk_seconds']}s per URL; "
            f"floor {floor['rps']:,.0f} req/s (before {floor['before']['rps']:,.0f}, "
            f"after {floor['after']['rps']:,.0f}), p50 {floor['before']['p50_ms']:.1f} ms"
        )
        head = (
            "page",
            "who",
            "req/s",
            "p50 ms",
            "p99 ms",
            "errors",
            "SQL cold/warm",
            "status",
            "/ floor",
        )
        rows = [head]
        for row in report["pages"]:
            q = row["queries"]
            rows.append(
                (
                    row["page"],
                    row["who"],
                    f"{row['rps']:,.0f}",
                    f"{row['p50_ms']:.1f}",
                    f"{row['p99_ms']:.1f}",
                    str(row["errors"]),
                    f"{q['cold']}/{q['warm']}",
                    str(q["status"]),
                    f"{row['ratio']:.3f}",
                )
            )
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        for k, r in enumerate(rows):
            cells = [r[0].ljust(widths[0]), r[1].ljust(widths[1])]
            cells += [c.rjust(w) for c, w in zip(r[2:], widths[2:], strict=True)]
            lines.append("| " + " | ".join(cells) + " |")
            if k == 0:
                lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        rep = report["replies"]
        lines.append(
            f"\nreplies: {rep['replies_per_s']:,.1f}/s through POST /t/<pk>/reply/ with "
            f"{rep['members']} members at once ({rep['posts_written']:,} written, "
            f"p50 {rep['p50_ms']:.1f} ms, p99 {rep['p99_ms']:.1f} ms, errors {rep['errors']}, "
            f"floors gapless: {'yes' if rep['floors_gapless'] else 'NO'}); "
            f"{rep['probe']['queries']} SQL queries in one reply (status {rep['probe']['status']})"
        )
    if report.get("jobs"):
        lines.append("\ndaily jobs (in-process, manage.py run_jobs):")
        for job in report["jobs"]:
            extra = f"  ERROR {job['error']}" if job["error"] else ""
            lines.append(f"  {job['job']:<40} run {job['run']}: {job['seconds']:8.2f} s{extra}")
    export = report.get("export")
    if export and not export.get("error"):
        lines.append(
            f"\nmember CSV export (job, own process): {export['rows']:,} rows in "
            f"{export['seconds']:.1f} s = {export['rows_per_s']:,} rows/s, "
            f"peak RSS {export['peak_rss_mb']:.0f} MB, {export['file_mb']} MB file"
        )
    db = report["database"]
    built = db.get("build_seconds")
    lines.append(
        "\n"
        + (f"dataset built in {built:.1f} s; " if built else "dataset reused; ")
        + (f"cloned in {db['clone_seconds']} s; " if "clone_seconds" in db else "")
        + f"database {db['database']}"
    )
    if not report.get("pages"):
        return "\n".join(lines)
    lines += [
        "Notes: gunicorn 2 sync workers for both servers, 127.0.0.1 only; Popcorn runs",
        "config.settings.production on PostgreSQL + Redis with env overrides only:",
        "SECURE_SSL_REDIRECT=False and SECURE_HSTS_SECONDS=0 (plain http on loopback),",
        "POSTING_LIMITS_ENABLED=False (bench members post flat out), EMAIL_URL=dummymail://;",
        "a Celery worker (solo pool) runs the tasks posts queue. The floor is a bare Django",
        "view (no middleware, no database) returning 30 KB. 'signed in' sends member1's",
        "session cookie with -H; anonymous notification list is the redirect to sign-in.",
        "SQL per request: the URL fetched twice in-process with django.test.Client under",
        "CaptureQueriesContext (cold: first fetch on a flushed cache; warm: the second).",
        "errors: non-2xx/3xx plus socket errors; for replies, any answer but 302 counts.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Popcorn's benchmark")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="peer")
    parser.add_argument("--rebuild", action="store_true", help="build the dataset again")
    parser.add_argument("--skip-jobs", action="store_true")
    args = parser.parse_args()
    preset = PRESETS[args.preset]

    if preset.http and shutil.which("wrk") is None:
        raise SystemExit(
            "wrk is missing: install it with `apt-get install wrk` (Debian's package), then rerun."
        )
    os.environ.update(ENV_OVERRIDES)
    os.environ["DATABASE_URL"] = f"{PG}/{DB_PREFIX}_{preset.name}"

    import django

    django.setup()

    servers = Servers()

    def interrupted(signum, frame):
        raise SystemExit(f"interrupted by signal {signum}")

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, interrupted)

    started = time.monotonic()
    report = {
        "preset": dict(vars(preset)),
        "started_at": datetime.now().isoformat(timespec="seconds"),
        "settings": {k: v for k, v in ENV_OVERRIDES.items() if k != "SECRET_KEY"},
    }
    if preset.name == "seed" and os.environ.get("BENCH_SEED_SCALE", "1") != "1":
        report["seed_scale"] = float(os.environ["BENCH_SEED_SCALE"])
    failures = []
    try:
        db, report["database"] = prepare_database(preset, args.rebuild)
        from django.db import connection

        connection.close()
        if preset.http:
            say("collecting static files (production settings serve the manifest)")
            manage("collectstatic", "--noinput", "-v0", db=db, timeout=600)
            import redis

            redis.Redis.from_url(REDIS).flushdb()
            env = dict(os.environ)
            popcorn = f"http://{HOST}:{POPCORN_PORT}"
            floor = f"http://{HOST}:{FLOOR_PORT}/"
            servers.start(
                "popcorn",
                [
                    str(BIN / "gunicorn"),
                    "config.wsgi:application",
                    "-b",
                    f"{HOST}:{POPCORN_PORT}",
                    *GUNICORN,
                ],
                env,
            )
            floor_env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}
            servers.start(
                "floor",
                [
                    str(BIN / "gunicorn"),
                    "bench.floor.wsgi:application",
                    "-b",
                    f"{HOST}:{FLOOR_PORT}",
                    *GUNICORN,
                ],
                floor_env,
            )
            servers.start(
                "worker",
                [
                    str(BIN / "celery"),
                    "-A",
                    "config",
                    "worker",
                    "--pool=solo",
                    "--loglevel=WARNING",
                ],
                env,
            )
            servers.wait_http("floor", floor)
            servers.wait_http("popcorn", f"{popcorn}/")
            say("servers up")

            from accounts.models import User
            from bench.generate import READER

            reader_cookie, _csrf = session_cookie(User.objects.get(username=READER))
            before = wrk(floor, preset)
            say(f"floor: {before['rps']:,.0f} req/s")
            rows = []
            for page, path in pages(preset):
                for who, cookie in (("anonymous", None), ("signed in", reader_cookie)):
                    queries = count_queries(path, cookie)
                    headers = [f"Cookie: {cookie}"] if cookie else []
                    data = wrk(popcorn + path, preset, headers=headers)
                    data.update(page=page, who=who, path=path, queries=queries)
                    rows.append(data)
                    say(
                        f"{page}, {who}: {data['rps']:,.0f} req/s, "
                        f"{queries['warm']} queries, status {queries['status']}"
                    )
                    if not 200 <= queries["status"] < 400 or data["errors"] or not data["requests"]:
                        failures.append(
                            f"{page} ({who}): status {queries['status']}, {data['errors']} errors"
                        )
            after = wrk(floor, preset)
            floor_rps = (before["rps"] + after["rps"]) / 2
            for row in rows:
                row["ratio"] = row["rps"] / floor_rps if floor_rps else 0.0
            report["floor"] = {"rps": floor_rps, "before": before, "after": after}
            report["pages"] = rows
            say("replies")
            report["replies"] = replies = measure_replies(preset, popcorn)
            if replies["errors"] or not replies["posts_written"] or not replies["floors_gapless"]:
                failures.append(
                    f"replies: {replies['errors']} errors, {replies['posts_written']} written"
                )
            if replies["probe"]["status"] != 302:
                failures.append(f"in-process reply answered {replies['probe']['status']}")
            servers.stop()
        if not args.skip_jobs:
            say("daily jobs")
            report["jobs"] = run_jobs()
            failures += [f"job {j['job']}: {j['error']}" for j in report["jobs"] if j["error"]]
            say("member CSV export")
            report["export"] = export = measure_export(db)
            say(f"export: {export}")
            if export.get("error"):
                failures.append(f"export: {export['error']}")
    finally:
        servers.stop()
    report["seconds"] = round(time.monotonic() - started, 1)
    report["failures"] = failures
    print(render(report))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{preset.name}-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    say(f"results written to {out.relative_to(ROOT)} ({report['seconds']} s in all)")
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
        if preset.strict:
            sys.exit(1)


if __name__ == "__main__":
    main()
