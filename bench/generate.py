"""The benchmark's dataset, built from the model classes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch, migrated> \\
        .venv/bin/python -m bench.generate --preset peer

smoke and peer go through the ORM (bulk_create in batches), so every column
the models gain comes with its model default. seed is too big for that: it
is built set-based, INSERT ... SELECT generate_series, with the statements
written from the models' _meta (column names from the fields, every column
not given explicitly filled from field.get_default()), so it follows the
models too. Only `<app>.models` is imported from Popcorn: the benchmark must
not depend on where services live.

What pages show is kept consistent, as the services would have left it:
floors are gapless, reply_count/last_floor/last_posted_at/last_poster_name
match the posts, boards' totals and last-post fields match their threads,
members' post and thread counts match their posts, and reputation totals
equal the ledger. Posts share one rendered sample body (rendering 200,000
markdowns would only time the renderer); search_text follows it.
"""

import argparse
import json
import os
import random
import sys
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

# The members the benchmark signs in as: member1 reads, the next ones reply.
READER = "member1"
REPLIERS_FROM = 2  # member2 ... member(1 + reply_members)
PROBE = "member20"  # posts one reply in-process to count its queries
BENCH_REPUTATION = 1_500
SEARCH_WORD = "bluetooth"
REPLY_THREAD_TITLE = "Bench replies go here"

WORDS = (  # noqa: SIM905 - a paragraph reads better than 50 quoted words
    "battery camera charging wifi bluetooth update firmware screen gps speaker "
    "microphone fingerprint notch launcher widget keyboard theme wallpaper gallery "
    "backup storage memory thermal modem signal volte hotspot nfc payment vibration "
    "sensor gyroscope compass brightness refresh overlay gesture navigation recovery "
    "bootloader kernel driver codec audio video recorder flashlight alarm calendar"
).split()

SAMPLE_SOURCE = (
    "After the latest update my phone drains about **8% an hour** in standby.\n\n"
    "What I tried so far:\n\n"
    "- cleared the cache partition\n"
    "- turned off always-on display\n"
    "- checked the battery usage page, nothing stands out\n\n"
    "Logs from `adb shell dumpsys batterystats` are attached. "
    "Does anyone on the same build see this?"
)
# What forum.rendering makes of SAMPLE_SOURCE, copied once (sanitized HTML).
SAMPLE_HTML = (
    "<p>After the latest update my phone drains about <strong>8% an hour</strong> "
    "in standby.</p>\n<p>What I tried so far:</p>\n<ul>\n<li>cleared the cache "
    "partition</li>\n<li>turned off always-on display</li>\n<li>checked the battery "
    "usage page, nothing stands out</li>\n</ul>\n<p>Logs from <code>adb shell dumpsys "
    "batterystats</code> are attached. Does anyone on the same build see this?</p>\n"
)


def tokens(text: str) -> str:
    """search_text in the shape forum.search writes it: lower-cased word tokens."""
    out, word = [], []
    for char in text.lower() + " ":
        if char.isalnum() or (char == "." and word):
            word.append(char)
        elif word:
            out.append("".join(word).strip("."))
            word = []
    return " ".join(t for t in out if t)


def body_for(n: int) -> tuple[str, str]:
    """(source, search tokens of the source) for post number n; one word in 50 varies."""
    word = WORDS[n % len(WORDS)]
    source = f"{SAMPLE_SOURCE}\n\nTagged: {word}"
    return source, f"{SAMPLE_TOKENS} {word}"


SAMPLE_TOKENS = tokens(SAMPLE_SOURCE + "\n\nTagged:")


def html_for(source_word: str) -> str:
    return f"{SAMPLE_HTML}<p>Tagged: {source_word}</p>\n"


# ----------------------------------------------------------------------------
# Bookkeeping: the database's comment records what was built, so a finished
# build is reused and an interrupted seed build resumes where it stopped.


def fingerprint(preset) -> str:
    import hashlib

    from django.db.migrations.loader import MigrationLoader

    h = hashlib.sha256()
    h.update(Path(__file__).read_bytes())
    h.update(repr(preset).encode())
    # seed takes hours to build and is migrated forward on reuse (bench/run.py);
    # the smaller presets are rebuilt when a migration is added.
    if preset.name != "seed":
        loader = MigrationLoader(None, ignore_no_migrations=True)
        h.update(repr(sorted(loader.disk_migrations)).encode())
    return h.hexdigest()[:16]


def read_state(connection) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE datname = current_database()"
        )
        row = cursor.fetchone()
    try:
        return json.loads(row[0]) if row and row[0] else {}
    except ValueError:
        return {}


def write_state(connection, state: dict) -> None:
    with connection.cursor() as cursor:
        name = connection.ops.quote_name(connection.settings_dict["NAME"])
        cursor.execute(f"COMMENT ON DATABASE {name} IS %s", [json.dumps(state)])


# ----------------------------------------------------------------------------
# smoke and peer: the ORM.


@contextmanager
def explicit_timestamps(fields_by_model):
    """Let bulk_create keep the timestamps we set instead of auto_now(_add)'s now()."""
    saved = []
    for model, names in fields_by_model.items():
        for name in names:
            field = model._meta.get_field(name)
            saved.append((field, field.auto_now, field.auto_now_add))
            field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def log(message: str) -> None:
    print(f"  [generate] {message}", flush=True)


def thread_sizes(preset) -> list[int]:
    """Posts per thread (floors 1..n): each board's first thread is the big one."""
    big = min(preset.big_thread_posts, preset.posts // (2 * preset.boards))
    rest_threads = preset.threads - preset.boards
    rest_posts = preset.posts - big * preset.boards
    base, extra = divmod(rest_posts, rest_threads)
    sizes = [big] * preset.boards
    sizes += [base + (1 if k < extra else 0) for k in range(rest_threads)]
    return sizes


def build_orm(preset) -> None:
    from allauth.account.models import EmailAddress
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from accounts.models import (
        DailyActivity,
        Device,
        Notification,
        NotificationKind,
        ReputationEntry,
        ReputationReason,
        User,
    )
    from forum.models import Board, Post, Section, Thread

    rng = random.Random(16)
    now = timezone.now().replace(microsecond=0)
    start = now - timedelta(days=preset.days)
    span = (now - start).total_seconds() - 3600
    n_members = preset.members
    started = time.monotonic()

    # Plan everything by index first, so counters are right when rows are written.
    sizes = thread_sizes(preset)
    post_authors = [rng.randrange(n_members) for _ in range(preset.posts)]
    threads_plan = []  # (board index, created, gap seconds, title, word index)
    cursor_post = 0
    activity = Counter()  # (member index, day) -> posts
    thread_activity = Counter()
    member_posts = Counter()
    member_threads = Counter()
    for j, size in enumerate(sizes):
        board_index = j % preset.boards
        # Big threads start early; the rest spread over the window.
        offset = rng.random() * span * (0.2 if j < preset.boards else 0.95)
        created = start + timedelta(seconds=offset)
        room = (now - created).total_seconds() - 60
        gap = max(1.0, min(900.0, room / max(size, 1)))
        word = j % len(WORDS)
        title = f"{WORDS[word].capitalize()} trouble after the update, report {j + 1}"
        threads_plan.append((board_index, created, gap, title, word, cursor_post, size))
        author = post_authors[cursor_post]
        member_threads[author] += 1
        thread_activity[(author, timezone.localdate(created))] += 1
        for f in range(size):
            who = post_authors[cursor_post + f]
            member_posts[who] += 1
            day = timezone.localdate(created + timedelta(seconds=gap * f))
            activity[(who, day)] += 1
        cursor_post += size

    with transaction.atomic():
        devices = Device.objects.bulk_create(
            Device(brand="Xiaomi", model=f"Bench {i}", codename=f"bench-{i}", position=i)
            for i in range(5)
        )
        sections = Section.objects.bulk_create(
            Section(name=f"Section {i + 1}", slug=f"section-{i + 1}", position=i)
            for i in range(preset.sections)
        )
        boards = Board.objects.bulk_create(
            Board(
                section=sections[i % len(sections)],
                name=f"Board {i + 1}",
                slug=f"board-{i + 1}",
                description="Discussions about one phone.",
                position=i,
                device=devices[i % len(devices)],
            )
            for i in range(preset.boards)
        )

        def member(i: int) -> User:
            name = f"member{i + 1}"
            bench = i < 40
            return User(
                username=name,
                email=f"{name}@bench.example.com",
                password="!",  # noqa: S106 - unusable: benches sign in by session
                date_joined=start - timedelta(days=30 + i % 700, seconds=i % 86400),
                post_count=member_posts[i],
                thread_count=member_threads[i],
                reputation=BENCH_REPUTATION if bench else int(rng.random() ** 6 * 8000),
                last_seen_at=now - timedelta(hours=i % 48),
                days_visited=1 + i % preset.days,
            )

        users = []
        for first in range(0, n_members, 5_000):
            batch = [member(i) for i in range(first, min(first + 5_000, n_members))]
            users += User.objects.bulk_create(batch)
        log(f"{len(users):,} members ({time.monotonic() - started:.1f} s)")
        EmailAddress.objects.bulk_create(
            (EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users),
            batch_size=5_000,
        )
        ReputationEntry.objects.bulk_create(
            (
                ReputationEntry(
                    user=u,
                    points=u.reputation,
                    reason=ReputationReason.ADJUSTMENT,
                    source="bench:start",
                    created_at=u.date_joined,
                )
                for u in users
                if u.reputation
            ),
            batch_size=5_000,
        )

        with explicit_timestamps({Thread: ["created_at"], Post: ["created_at", "updated_at"]}):
            threads = []
            for board_index, created, gap, title, _word, first, size in threads_plan:
                author = users[post_authors[first]]
                last_at = created + timedelta(seconds=gap * (size - 1))
                threads.append(
                    Thread(
                        board=boards[board_index],
                        title=title,
                        slug=slugify(title)[:80],
                        author=author,
                        author_name=author.username,
                        device=boards[board_index].device,
                        last_floor=size,
                        reply_count=size - 1,
                        view_count=size * 7,
                        created_at=created,
                        last_posted_at=last_at,
                        last_poster_name=users[post_authors[first + size - 1]].username,
                    )
                )
            threads = Thread.objects.bulk_create(threads, batch_size=5_000)
            log(f"{len(threads):,} threads ({time.monotonic() - started:.1f} s)")

            batch = []
            written = 0
            for thread, (_b, created, gap, title, _word, first, size) in zip(
                threads, threads_plan, strict=True
            ):
                for f in range(size):
                    n = first + f
                    source, search_text = body_for(n)
                    author = users[post_authors[n]]
                    at = created + timedelta(seconds=gap * f)
                    batch.append(
                        Post(
                            thread=thread,
                            floor=f + 1,
                            author=author,
                            author_name=author.username,
                            source=source,
                            html=html_for(WORDS[n % len(WORDS)]),
                            search_text=(
                                f"{tokens(title)} {search_text}" if f == 0 else search_text
                            ),
                            created_at=at,
                            updated_at=at,
                        )
                    )
                if len(batch) >= 5_000:
                    Post.objects.bulk_create(batch)
                    written += len(batch)
                    batch = []
            Post.objects.bulk_create(batch)
            written += len(batch)
            log(f"{written:,} posts ({time.monotonic() - started:.1f} s)")

        # Board totals and last-post fields, from the threads just written.
        by_board = defaultdict(list)
        for thread in threads:
            by_board[thread.board_id].append(thread)
        for board in boards:
            mine = by_board[board.pk]
            last = max(mine, key=lambda t: t.last_posted_at)
            board.thread_count = len(mine)
            board.post_count = sum(t.last_floor for t in mine)
            board.last_thread = last
            board.last_thread_title = last.title
            board.last_poster_name = last.last_poster_name
            board.last_posted_at = last.last_posted_at
        Board.objects.bulk_update(
            boards,
            [
                "thread_count",
                "post_count",
                "last_thread",
                "last_thread_title",
                "last_poster_name",
                "last_posted_at",
            ],
        )

        DailyActivity.objects.bulk_create(
            (
                DailyActivity(
                    user=users[who],
                    day=day,
                    posts=count,
                    threads=thread_activity[(who, day)],
                )
                for (who, day), count in activity.items()
            ),
            batch_size=5_000,
        )

        # The reader's bell: 40 notifications, 10 unread.
        reader = users[0]
        Notification.objects.bulk_create(
            Notification(
                recipient=reader,
                kind=NotificationKind.REPLY,
                actor=users[k + 1],
                actor_name=users[k + 1].username,
                target_url=threads[k % len(threads)].get_absolute_url(),
                target_title=threads[k % len(threads)].title,
                title_key="forum.reply",
                title_params={"title": threads[k % len(threads)].title},
                excerpt="After the latest update my phone drains about 8% an hour",
                is_read=k >= 10,
                created_at=now - timedelta(minutes=k),
                updated_at=now - timedelta(minutes=k),
            )
            for k in range(40)
        )
        User.objects.filter(pk=reader.pk).update(unread_notifications=10)
        log(f"counters, activity, notifications ({time.monotonic() - started:.1f} s)")

    # A thread of its own for the reply run, so the measured pages stay as built.
    with transaction.atomic():
        author = users[1]
        thread = Thread.objects.create(
            board=boards[-1],
            title=REPLY_THREAD_TITLE,
            slug=slugify(REPLY_THREAD_TITLE),
            author=author,
            author_name=author.username,
            last_floor=1,
            last_posted_at=now,
            last_poster_name=author.username,
        )
        source, search_text = body_for(0)
        Post.objects.create(
            thread=thread,
            floor=1,
            author=author,
            author_name=author.username,
            source=source,
            html=html_for(WORDS[0]),
            search_text=search_text,
        )
        Board.objects.filter(pk=boards[-1].pk).update(
            thread_count=boards[-1].thread_count + 1,
            post_count=boards[-1].post_count + 1,
            last_thread=thread,
            last_thread_title=thread.title,
            last_poster_name=author.username,
            last_posted_at=now,
        )
        User.objects.filter(pk=author.pk).update(
            post_count=author.post_count + 1, thread_count=author.thread_count + 1
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    log(f"done in {time.monotonic() - started:.1f} s")


# ----------------------------------------------------------------------------
# seed: set-based SQL written from the models.


def insert_select(model, values: dict, source_sql: str, params=()) -> tuple[str, list]:
    """INSERT INTO <model's table> (<every concrete column>) SELECT ... FROM source_sql.

    `values` maps field names to SQL expressions over source_sql (or to
    (expression, [parameters])); every other
    column gets the field's default as a parameter, auto_now fields now(), and
    a nullable field without a default NULL. A new required column without a
    default stops the build with its name, as it would stop the ORM.
    """
    from django.db import connection

    columns, exprs, defaults = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.name not in values:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.name in values:
            value = values[field.name]
            if isinstance(value, tuple):
                value, value_params = value
                defaults.extend(value_params)
            exprs.append(value)
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            exprs.append("now()")
        elif field.has_default() or (field.empty_strings_allowed and not field.null):
            exprs.append("%s")
            defaults.append(field.get_db_prep_save(field.get_default(), connection))
        elif field.null:
            exprs.append("NULL")
        else:
            raise SystemExit(
                f"seed: {model.__name__}.{field.name} has no default; give it a value in "
                "bench/generate.py"
            )
    # Parameters in column order, then the source's.
    table = connection.ops.quote_name(model._meta.db_table)
    # Built from the models' _meta and this module's constants only.
    sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(exprs)} FROM {source_sql}"  # noqa: S608
    return sql, defaults + list(params)


def run_sql(sql: str, params=()) -> int:
    """Always with parameters, so a literal % is written %% everywhere."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.rowcount


@contextmanager
def without_secondary_indexes(model):
    """Drop a table's non-unique indexes for a bulk load and build them again after."""
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class c "
            "ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid "
            "WHERE i.tablename = %s AND NOT x.indisunique",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, definition in indexes:
                # A partitioned table's index reads "ON ONLY <table>": made that way it
                # stays invalid and its partitions get none; made on the table, every
                # partition gets its own.
                cursor.execute(definition.replace(" ON ONLY ", " ON ", 1))


def build_seed(preset, scale: float = 1.0) -> None:
    """1,000,000 members, 30 days of activity, a core active nearly every day, 6M posts.

    Each step commits on its own and is recorded, so an interrupted build resumes.
    BENCH_SEED_SCALE (e.g. 0.01) shrinks every count, to try the build quickly.
    """
    from allauth.account.models import EmailAddress
    from django.db import connection, transaction

    from accounts.models import DailyActivity, ReputationEntry, ReputationReason, User
    from forum.models import Board, Post, PostLike, Section, Thread

    members = max(100, int(preset.members * scale))
    core = max(30, int(preset.core_members * scale))
    threads = max(preset.boards, int(preset.threads * scale))
    per_thread = preset.posts // preset.threads  # 20
    days = preset.days
    state = read_state(connection)
    done = set(state.get("done", []))

    def step(name):
        def wrap(func):
            if name in done:
                log(f"{name}: already built")
                return
            started = time.monotonic()
            with transaction.atomic():
                run_sql("SET LOCAL synchronous_commit = off")
                # Foreign keys are deferred; checked per statement, indexes can be rebuilt.
                run_sql("SET CONSTRAINTS ALL IMMEDIATE")
                func()
            done.add(name)
            state["done"] = sorted(done)
            write_state(connection, state)
            log(f"{name}: {time.monotonic() - started:.1f} s")

        return wrap

    first_user = "(SELECT min(id) FROM accounts_user)"

    @step("members")
    def _members():
        # The core are the first `core` members: seniors and up, active nearly every day.
        reputation = (
            f"CASE WHEN g <= {core} THEN 1000 + (g::bigint * 7919) %% 4000 "
            "ELSE ((g::bigint * 7919) %% 1000) * ((g::bigint * 104729) %% 1000) / 1000 END"
        )
        sql, params = insert_select(
            User,
            {
                "username": "'member' || g",
                "email": "'member' || g || '@bench.example.com'",
                "password": "'!'",
                "date_joined": "now() - interval '31 days' - (g %% 700) * interval '1 day'",
                "reputation": reputation,
                "days_visited": f"CASE WHEN g <= {core} THEN {days - 2} ELSE 2 END",
                "last_seen_at": "now() - (g %% 48) * interval '1 hour'",
            },
            "generate_series(1, %s) AS g",
            [members],
        )
        run_sql(sql, params)
        sql, params = insert_select(
            EmailAddress,
            {"user": "id", "email": "email", "verified": "true", "primary": "true"},
            "accounts_user WHERE username = ANY(%s)",
            [[f"member{i}" for i in range(1, 41)]],
        )
        run_sql(sql, params)

    @step("ledger")
    def _ledger():
        # Ten ledger rows per member (10,000,000 at full size) summing to the total.
        sql, params = insert_select(
            ReputationEntry,
            {
                "user": "u.id",
                "points": "u.reputation / 10 + CASE WHEN k = 1 THEN u.reputation %% 10 ELSE 0 END",
                "reason": f"'{ReputationReason.ADJUSTMENT.value}'",
                "source": "'bench:' || k",
                "created_at": "now() - k * interval '1 day'",
            },
            "accounts_user u, generate_series(1, 10) AS k",
        )
        with without_secondary_indexes(ReputationEntry):
            run_sql(sql, params)

    @step("activity")
    def _activity():
        # Core: every day but one in 15; the others: two days of the window.
        sql, params = insert_select(
            DailyActivity,
            {
                "user": "u.id",
                "day": "current_date - d",
                "visited": "true",
                "posts": "CASE WHEN (u.id + d) %% 3 = 0 THEN 1 ELSE 0 END",
                "threads": "CASE WHEN (u.id + d) %% 40 = 0 THEN 1 ELSE 0 END",
                "likes_given": "CASE WHEN (u.id + d) %% 5 = 0 THEN 2 ELSE 0 END",
                "likes_received": "CASE WHEN (u.id + d) %% 7 = 0 THEN 1 ELSE 0 END",
            },
            f"accounts_user u, generate_series(0, {days - 1}) AS d "
            f"WHERE (u.id - {first_user} < {core} AND (u.id + d) %% 15 <> 0) "
            f"OR (u.id - {first_user} >= {core} AND d IN (u.id %% {days}, (u.id * 7) %% {days}))",
        )
        with without_secondary_indexes(DailyActivity):
            run_sql(sql, params)

    @step("forum")
    def _forum():
        sections = Section.objects.bulk_create(
            Section(name=f"Section {i + 1}", slug=f"section-{i + 1}", position=i)
            for i in range(preset.sections)
        )
        Board.objects.bulk_create(
            Board(
                section=sections[i % len(sections)],
                name=f"Board {i + 1}",
                slug=f"board-{i + 1}",
                position=i,
            )
            for i in range(preset.boards)
        )
        first_board = "(SELECT min(id) FROM forum_board)"
        author = f"{first_user} + (g::bigint * 7919) %% {core}"
        created = (
            f"now() - interval '{days} days' + (g %% {days * 86400 - 7200}) * interval '1 second'"
        )
        sql, params = insert_select(
            Thread,
            {
                "board": f"{first_board} + g %% {preset.boards}",
                "title": "'Trouble after the update, report ' || g",
                "slug": "'trouble-after-the-update-report-' || g",
                "author": author,
                "author_name": f"'member' || (1 + (g::bigint * 7919) %% {core})",
                "last_floor": str(per_thread),
                "reply_count": str(per_thread - 1),
                "created_at": created,
                "last_posted_at": f"{created} + {per_thread - 1} * interval '1 minute'",
                "last_poster_name": "'member1'",
            },
            "generate_series(1, %s) AS g",
            [threads],
        )
        run_sql(sql, params)
        # Posts: per_thread floors each, by core members mostly.
        post_author = f"(t.id * 31 + f * 7717) %% {members}"
        source, search_text = body_for(0)
        sql, params = insert_select(
            Post,
            {
                "thread": "t.id",
                "floor": "f",
                "author": f"{first_user} + CASE WHEN f %% 4 = 0 THEN {post_author} "
                f"ELSE (t.id * 31 + f * 7717) %% {core} END",
                "author_name": "'member'",
                "source": ("%s", [source]),
                "html": ("%s", [html_for(WORDS[0])]),
                "search_text": ("%s", [search_text]),
                "created_at": "t.created_at + (f - 1) * interval '1 minute'",
                "updated_at": "t.created_at + (f - 1) * interval '1 minute'",
            },
            f"forum_thread t, generate_series(1, {per_thread}) AS f",
        )
        with without_secondary_indexes(Post):
            run_sql(sql, params)
        run_sql(
            "UPDATE forum_board b SET thread_count = s.n, post_count = s.posts, "
            "last_posted_at = s.last FROM (SELECT board_id, count(*) AS n, "
            "sum(last_floor) AS posts, max(last_posted_at) AS last FROM forum_thread "
            "GROUP BY board_id) s WHERE b.id = s.board_id"
        )

    @step("counters")
    def _counters():
        run_sql(
            "UPDATE accounts_user u SET post_count = s.n FROM (SELECT author_id, count(*) AS n "
            "FROM forum_post GROUP BY author_id) s WHERE u.id = s.author_id"
        )
        run_sql(
            "UPDATE accounts_user u SET thread_count = s.n FROM (SELECT author_id, count(*) AS n "
            "FROM forum_thread GROUP BY author_id) s WHERE u.id = s.author_id"
        )

    @step("likes")
    def _likes():
        # One post in six liked by a core member, on the day it was written.
        sql, params = insert_select(
            PostLike,
            {
                "user": f"{first_user} + (p.id * 13) %% {core}",
                "post": "p.id",
                "created_at": "p.created_at + interval '5 minutes'",
            },
            "forum_post p WHERE p.id %% 6 = 0",
        )
        with without_secondary_indexes(PostLike):
            run_sql(sql, params)
        run_sql("UPDATE forum_post SET like_count = 1 WHERE id %% 6 = 0")

    if "analyze" not in done:
        started = time.monotonic()
        run_sql("VACUUM ANALYZE")
        done.add("analyze")
        state["done"] = sorted(done)
        write_state(connection, state)
        log(f"analyze: {time.monotonic() - started:.1f} s")


def main() -> None:
    from bench.presets import PRESETS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="peer")
    args = parser.parse_args()
    preset = PRESETS[args.preset]

    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench.generate needs PostgreSQL (DATABASE_URL).")
    state = read_state(connection)
    if preset.name == "seed":
        scale = float(os.environ.get("BENCH_SEED_SCALE", "1"))
        wanted = f"{fingerprint(preset)}@{scale}"
        if state.get("fingerprint") not in (None, wanted):
            sys.exit("this database holds another build; drop it (bench/run.py --rebuild)")
        state["fingerprint"] = wanted
        write_state(connection, state)
        build_seed(preset, scale)
    else:
        if state.get("done"):
            sys.exit("this database is already built")
        build_orm(preset)
        write_state(connection, {"fingerprint": fingerprint(preset), "done": ["all"]})


if __name__ == "__main__":
    main()
