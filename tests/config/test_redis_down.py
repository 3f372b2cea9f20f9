"""With Redis gone, the site keeps working: sign-in, sign-up, replies, new threads
and every moderation action succeed, no request waits more than a moment on Redis,
posting limits count from the database, and the tasks the broker could not take
wait in the outbox until the resend job delivers them.

Redis is "gone" in two ways, both real sockets: a closed port (connections are
refused at once) and a port that accepts connections and never answers (every
call waits for its timeout). The cache and the Celery broker are pointed there
for the test; CI runs this module on SQLite and on PostgreSQL.
"""

import logging
import socket
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Notification, NotificationKind, User
from config import cache as site_cache
from config import jobs
from config.celery import app
from config.models import OutboxTask
from forum import services as forum_services
from forum.models import Post, Thread
from moderation import services as moderation_services
from moderation.models import AuditLog, ReportCase
from tests.factories import BoardFactory, StaffFactory, UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db(transaction=True)

CLOSED_PORT = 6390
LIMIT = 2.0  # seconds: the longest any request may take with Redis gone


def _point_celery_at(url: str, *, eager: bool) -> None:
    app.conf.broker_url = url
    app.conf.task_always_eager = eager
    # Connections and producers are pooled per broker URL: start from fresh ones.
    app._pool = None
    app.amqp._producer_pool = None
    jobs.broker_reset()


def _redis_at(settings, url: str) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "popcorn-test",
            "OPTIONS": dict(settings.REDIS_OPTIONS),
        }
    }
    site_cache.reset()
    _point_celery_at(url, eager=False)


@pytest.fixture
def restore_celery():
    saved = app.conf.broker_url, app.conf.task_always_eager
    yield
    _point_celery_at(saved[0], eager=saved[1])
    site_cache.reset()


@pytest.fixture
def redis_down(settings, restore_celery):
    """Cache and broker on a port where nothing listens; posting limits on."""
    settings.POPCORN = {**settings.POPCORN, "POSTING_LIMITS_ENABLED": True}
    _redis_at(settings, f"redis://127.0.0.1:{CLOSED_PORT}/6")


@pytest.fixture
def redis_silent(settings, restore_celery):
    """Cache and broker on a port that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)  # the kernel completes each handshake; nobody ever reads
    settings.POPCORN = {**settings.POPCORN, "POSTING_LIMITS_ENABLED": True}
    _redis_at(settings, f"redis://127.0.0.1:{listener.getsockname()[1]}/6")
    yield
    listener.close()


def timed(send):
    started = time.monotonic()
    response = send()
    return response, time.monotonic() - started


@pytest.fixture
def world(db):
    staff = StaffFactory()
    author, watcher = UserFactory(), UserFactory()
    board, elsewhere = BoardFactory(), BoardFactory()
    thread = make_thread(board=board, author=author, title="Camera crash", thread_type="bug")
    forum_services.thread_watch(user=watcher, thread=thread)
    return {
        "staff": staff,
        "author": author,
        "watcher": watcher,
        "board": board,
        "elsewhere": elsewhere,
        "thread": thread,
    }


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Sign-in and sign-up --------------------------------------------------------------


def test_sign_in_works_with_redis_down_and_says_so_in_the_log(world, redis_down, caplog):
    caplog.set_level(logging.WARNING, logger="config.cache")
    client = Client()
    response, took = timed(
        lambda: client.post(
            reverse("account_login"),
            {"login": world["author"].username, "password": "correct-horse-battery"},
        )
    )
    assert response.status_code == 302 and took < LIMIT
    assert int(client.session["_auth_user_id"]) == world["author"].pk
    assert "cache unreachable" in caplog.text


def test_sign_up_works_with_redis_down(redis_down):
    response, took = timed(
        lambda: Client().post(
            reverse("account_signup"),
            {
                "username": "newfan",
                "email": "newfan@example.com",
                "password1": "flash-the-rom-2026",
                "password2": "flash-the-rom-2026",
            },
        )
    )
    assert response.status_code == 302 and took < LIMIT
    assert User.objects.filter(username="newfan").exists()
    assert mail.outbox  # the confirmation email went out


# Posting ----------------------------------------------------------------------------


def test_a_reply_works_and_its_follow_up_task_waits_in_the_outbox(world, redis_down):
    thread, client = world["thread"], _signed_in(world["author"])
    response, took = timed(
        lambda: client.post(reverse("forum:reply", args=[thread.pk]), {"body": "Log below."})
    )
    assert response.status_code == 302 and took < LIMIT
    assert thread.posts.filter(floor=2, source="Log below.").exists()
    # Its follow-up (counters, notifications: forum.reply_follow_up) waits for the broker.
    waiting = OutboxTask.objects.get(name="forum.reply_follow_up")
    assert waiting.args == [thread.posts.get(floor=2).pk] and waiting.attempts == 1
    assert "6390" in waiting.last_error


def test_a_new_thread_works_with_redis_down(world, redis_down):
    client = _signed_in(world["author"])
    url = reverse("forum:thread_create", args=[world["board"].slug])
    data = {"title": "Battery drain after update", "body": "Since yesterday.", "thread_type": "bug"}
    response, took = timed(lambda: client.post(url, data))
    assert response.status_code == 302 and took < LIMIT
    assert Thread.objects.filter(title="Battery drain after update").exists()


def test_posting_limits_are_counted_from_the_database_while_redis_is_down(
    redis_down, world, settings, caplog
):
    settings.POPCORN = {**settings.POPCORN, "REPLIES_PER_MINUTE": 2, "NEW_USER_HOURS": 0}
    settings.POPCORN["NEW_USER_LEVEL"] = "newcomer"
    thread, client = world["thread"], _signed_in(world["author"])
    url = reverse("forum:reply", args=[thread.pk])
    caplog.set_level(logging.WARNING, logger="forum.services.limits")
    for text in ("one", "two"):
        assert client.post(url, {"body": f"Reply {text}."}).status_code == 302
    refused = client.post(url, {"body": "Reply three."})
    assert "2 replies a minute" in refused.content.decode()
    # The same text again is refused too, counted from the rows.
    again = client.post(url, {"body": "Reply two."})
    assert "same text" in again.content.decode()
    assert thread.posts.count() == 3
    assert "counting from the database" in caplog.text


def test_slow_mode_holds_while_redis_is_down(world, redis_down):
    thread = world["thread"]
    moderation_services.thread_set_slow_mode(
        thread=thread, actor=world["staff"], seconds=60, reason="calm down"
    )
    client = _signed_in(world["watcher"])
    url = reverse("forum:reply", args=[thread.pk])
    assert client.post(url, {"body": "First."}).status_code == 302
    refused = client.post(url, {"body": "Second."})
    assert "slow mode" in refused.content.decode()


# Moderation -------------------------------------------------------------------------


def _thread_actions(world) -> list[tuple[str, dict]]:
    other = make_thread(
        board=world["board"], title="Same crash", author=world["author"], body="Crashes too."
    )
    split_from = make_reply(thread=world["thread"], author=world["watcher"], body="Split me.")
    return [
        ("pin", {}),
        ("unpin", {}),
        ("announce", {}),
        ("unpin", {}),
        ("lock", {}),
        ("unlock", {}),
        ("feature", {}),
        ("unfeature", {}),
        ("bug-status", {"status": "confirmed"}),
        ("slow-mode", {"seconds": "60"}),
        ("hide", {}),
        ("restore", {}),
        ("split", {"title": "Split off", "posts": [split_from.pk]}),
        ("move", {"to_board": world["elsewhere"].pk}),
        ("merge", {"target": other.pk}),
    ]


def test_every_moderation_action_works_with_redis_down(world, redis_down):
    staff, thread, author = world["staff"], world["thread"], world["author"]
    reply = make_reply(thread=thread, author=world["watcher"], body="Reported reply.")
    moderation_services.report_create(post=reply, reporter=author, reason="off_topic")
    client = _signed_in(staff)
    requests = []
    for action, data in _thread_actions(world):
        url = reverse("moderation:thread_action", args=[thread.pk, action])
        requests.append((url, {"reason": "Redis is down", **data}))
    for action in ("helpful", "unhelpful", "hide", "restore"):
        url = reverse("moderation:post_action", args=[reply.pk, action])
        requests.append((url, {"reason": "Redis is down"}))
    case = ReportCase.objects.get()
    requests.append(
        (
            reverse("moderation:report_resolve", args=[case.pk]),
            {"outcome": "dismiss", "reason": "ok"},
        )
    )
    for action, extra in (
        ("warn", {}),
        ("silence", {"hours": "1"}),
        ("lift-silence", {}),
        ("suspend", {"hours": "24"}),
        ("lift-suspension", {}),
    ):
        url = reverse("moderation:member_action", args=[world["watcher"].username, action])
        requests.append((url, {"reason": "Redis is down", **extra}))
    bulk = make_thread(board=world["board"], author=author, title="Bulk me", body="Lock me.")
    requests.append(
        (
            reverse("moderation:bulk", args=[world["board"].slug]),
            {"action": "lock", "threads": [bulk.pk], "reason": "Redis is down"},
        )
    )
    audited = AuditLog.objects.count()
    for url, data in requests:
        response, took = timed(lambda url=url, data=data: client.post(url, data))
        assert response.status_code == 302, url
        assert took < LIMIT, f"{url} took {took:.2f} s"
        assert not [m for m in response.wsgi_request._messages if m.level_tag == "error"], url
    assert AuditLog.objects.count() >= audited + len(requests)
    # The members told about it (warned, silenced, ...) get their emails later.
    assert OutboxTask.objects.filter(name="accounts.send_notification_emails").exists()


# No request waits on a silent Redis -------------------------------------------------


def test_a_redis_that_never_answers_costs_a_request_one_timeout_at_most(world, redis_silent):
    thread, client = world["thread"], _signed_in(world["author"])
    url = reverse("forum:reply", args=[thread.pk])
    response, took = timed(lambda: client.post(url, {"body": "Anyone there?"}))
    assert response.status_code == 302
    assert took < LIMIT, f"the reply took {took:.2f} s"
    assert OutboxTask.objects.filter(name="forum.reply_follow_up").exists()
    # The next request knows Redis is away and does not wait again.
    response, took = timed(lambda: client.get(thread.get_absolute_url()))
    assert response.status_code == 200 and took < 1.0


# The outbox ------------------------------------------------------------------------


def test_tasks_kept_in_the_outbox_are_delivered_when_the_broker_is_back(world, redis_down):
    thread, watcher = world["thread"], world["watcher"]
    client = _signed_in(world["author"])
    client.post(reverse("forum:reply", args=[thread.pk]), {"body": "Fixed in the beta."})
    assert OutboxTask.objects.count() == 1
    assert not Notification.objects.filter(recipient=watcher).exists()
    # The broker is back: the resend job (beat runs it every minute) sends what waited.
    _point_celery_at("memory://", eager=True)
    assert jobs.outbox_resend(grace=timedelta(0)) == {"sent": 1, "left": 0, "error": ""}
    notice = Notification.objects.get(recipient=watcher)
    assert notice.kind == NotificationKind.REPLY
    assert not OutboxTask.objects.exists()
    # Run again: nothing is sent twice.
    assert jobs.outbox_resend(grace=timedelta(0))["sent"] == 0


def test_the_resend_job_leaves_young_rows_to_their_own_commit(world, redis_down):
    client = _signed_in(world["author"])
    client.post(reverse("forum:reply", args=[world["thread"].pk]), {"body": "Too fresh."})
    _point_celery_at("memory://", eager=True)
    assert jobs.outbox_resend()["sent"] == 0  # younger than OUTBOX_GRACE
    assert OutboxTask.objects.count() == 1


def test_a_task_the_broker_takes_leaves_no_row(restore_celery, world):
    _point_celery_at("memory://", eager=False)  # a broker that answers, no worker
    make_reply(thread=world["thread"], author=world["author"], body="Through the broker.")
    assert not OutboxTask.objects.exists()


def test_a_rolled_back_write_leaves_no_task_behind(restore_celery, world):
    from django.db import transaction

    _point_celery_at(f"redis://127.0.0.1:{CLOSED_PORT}/6", eager=False)
    with pytest.raises(RuntimeError), transaction.atomic():
        make_reply(thread=world["thread"], author=world["author"], body="Never mind.")
        assert OutboxTask.objects.count() == 1  # written with the reply, inside its transaction
        raise RuntimeError("the write fails after all")
    assert not OutboxTask.objects.exists()
    assert not Post.objects.filter(source="Never mind.").exists()


# /health/ ----------------------------------------------------------------------------


def test_health_says_ok_when_everything_answers(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "storage"}
    assert all(check["ok"] for check in body["checks"].values())


def test_health_answers_degraded_not_down_while_redis_is_gone(redis_down, client):
    response, took = timed(lambda: client.get(reverse("health")))
    assert response.status_code == 200 and took < LIMIT
    body = response.json()
    assert body["status"] == "degraded"
    assert not body["checks"]["cache"]["ok"] and not body["checks"]["broker"]["ok"]
    assert body["checks"]["database"]["ok"] and body["checks"]["storage"]["ok"]
    assert "6390" not in response.content.decode()  # kinds of error only, no addresses


def test_health_is_a_503_when_storage_fails(settings, client, tmp_path):
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocked)},
        },
    }
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert not response.json()["checks"]["storage"]["ok"]


# The worker's broker settings ------------------------------------------------------


def test_a_killed_workers_task_comes_back_only_after_any_task_could_have_finished():
    jobs.load_jobs()
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    limits = [app.conf.task_time_limit] + [
        task.time_limit for task in app.tasks.values() if getattr(task, "time_limit", None)
    ]
    assert visibility > max(limits)
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
