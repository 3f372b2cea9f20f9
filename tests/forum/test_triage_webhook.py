"""The triage webhook against a real HTTP server on localhost: the signed body, a failure
retried by the job with backoff, nothing sent without a URL or for a rolled-back action."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from forum import services
from forum.models import BugStatus, ThreadType
from moderation import services as moderation_services
from moderation.models import WebhookDelivery
from moderation.tasks import retry_triage_webhooks
from tests.factories import UserFactory, make_thread

pytestmark = pytest.mark.django_db

SECRET = "s3cret-for-the-tracker"


class Receiver:
    """A bug tracker's endpoint: answers the statuses queued in `answers`, records requests."""

    def __init__(self):
        self.requests = []
        self.answers = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/popcorn"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    running = Receiver()
    settings.POPCORN = {
        **settings.POPCORN,
        "TRIAGE_WEBHOOK_URL": running.url,
        "TRIAGE_WEBHOOK_SECRET": SECRET,
        "TRIAGE_WEBHOOK_BACKOFF_SECONDS": 60,
        "TRIAGE_WEBHOOK_ATTEMPTS": 3,
        "TRIAGE_WEBHOOK_TIMEOUT": 5,
    }
    yield running
    running.close()


@pytest.fixture
def bug(board):
    thread = make_thread(board=board, thread_type=ThreadType.BUG, title="蓝牙断连 after update")
    services.thread_vote(thread=thread, user=UserFactory(), firmware_version="V14.0.3.0")
    return thread


def _signature(body: bytes) -> str:
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def test_a_confirmed_bug_is_posted_signed_to_the_tracker(
    receiver, bug, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.thread_set_bug_status(
            thread=bug, actor=staff, status=BugStatus.CONFIRMED
        )
    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    assert headers["X-Popcorn-Signature"] == _signature(body)
    assert headers["X-Popcorn-Event"] == "bug.confirmed"
    payload = json.loads(body)
    assert payload["event"] == "bug.confirmed" and payload["actor"] == staff.username
    assert payload["thread"]["id"] == bug.pk and payload["thread"]["title"] == bug.title
    assert payload["thread"]["me_too"] == 1 and payload["thread"]["bug_status"] == "confirmed"
    delivery = WebhookDelivery.objects.get()
    assert delivery.delivered_at is not None and delivery.attempts == 1
    assert headers["X-Popcorn-Delivery"] == str(delivery.pk)


def test_a_failed_delivery_is_retried_by_the_job_with_backoff_and_the_same_bytes(
    receiver, bug, staff, django_capture_on_commit_callbacks
):
    receiver.answers = [503]
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.thread_set_bug_status(
            thread=bug, actor=staff, status=BugStatus.FIXED, fixed_in_version="V14.0.4.0"
        )
    delivery = WebhookDelivery.objects.get()
    assert delivery.delivered_at is None and delivery.attempts == 1
    assert "503" in delivery.last_error
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert 55 < wait <= 60
    assert retry_triage_webhooks() == 0  # not due yet: nothing sent
    assert len(receiver.requests) == 1
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    assert retry_triage_webhooks() == 1
    (_h1, first), (headers, second) = receiver.requests
    assert first == second and headers["X-Popcorn-Signature"] == _signature(second)
    assert json.loads(second)["event"] == "bug.fixed"
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and delivery.attempts == 2
    assert retry_triage_webhooks() == 0  # delivered: never sent again


def test_the_backoff_doubles_and_the_delivery_gives_up_after_the_last_attempt(
    receiver, bug, staff, django_capture_on_commit_callbacks
):
    receiver.answers = [500, 500, 500]
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.thread_set_bug_status(
            thread=bug, actor=staff, status=BugStatus.CONFIRMED
        )
    waits = []
    for _ in range(2):
        delivery = WebhookDelivery.objects.get()
        waits.append(round((delivery.next_attempt_at - timezone.now()).total_seconds() / 60))
        WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        retry_triage_webhooks()
    assert waits == [1, 2]
    delivery = WebhookDelivery.objects.get()
    assert delivery.failed_at is not None and delivery.attempts == 3
    assert delivery.next_attempt_at is None and len(receiver.requests) == 3


def test_an_unreachable_tracker_is_an_error_kept_for_the_retry(
    settings, bug, staff, django_capture_on_commit_callbacks
):
    settings.POPCORN = {**settings.POPCORN, "TRIAGE_WEBHOOK_URL": "http://127.0.0.1:9/nothing"}
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.thread_set_bug_status(
            thread=bug, actor=staff, status=BugStatus.CONFIRMED
        )
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 1 and delivery.last_error and delivery.delivered_at is None


def test_without_a_url_or_for_other_statuses_nothing_is_queued(
    bug, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.thread_set_bug_status(
            thread=bug, actor=staff, status=BugStatus.CONFIRMED
        )
    assert not WebhookDelivery.objects.exists()


def test_not_reproducible_sends_nothing(receiver, bug, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.thread_set_bug_status(
            thread=bug, actor=staff, status=BugStatus.NOT_REPRODUCIBLE
        )
    assert not WebhookDelivery.objects.exists() and receiver.requests == []
