"""The firmware team's outgoing webhook: a bug tracker hears when a bug is confirmed or fixed.

The row is written in the moderator's transaction (so a rolled-back action sends
nothing) and sent after commit by a task; a failure is retried by the
moderation.retry_triage_webhooks job with doubling backoff until
TRIAGE_WEBHOOK_ATTEMPTS run out. The body is kept as sent, so each retry carries
the same bytes and the same signature; receivers de-duplicate by X-Popcorn-Delivery.
"""

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from config.jobs import enqueue_on_commit
from config.site import site_url
from forum.models import Thread
from moderation.models import WebhookDelivery

Event = WebhookDelivery.Event


def _config() -> dict:
    return settings.POPCORN


def webhook_signature(body: bytes, secret: str) -> str:
    """What X-Popcorn-Signature carries: sha256=<hex HMAC-SHA256 of the raw body>."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_queue(*, event: str, thread: Thread, actor_name: str = "") -> WebhookDelivery | None:
    """Write the delivery (in the caller's transaction) and send it after commit.
    None when no webhook URL is set."""
    if not _config()["TRIAGE_WEBHOOK_URL"]:
        return None
    payload = {
        "event": event,
        "sent_at": timezone.now().isoformat(),
        "thread": {
            "id": thread.pk,
            "title": thread.title,
            "url": site_url(thread.get_absolute_url()),
            "board": thread.board.slug,
            "device": thread.device.codename if thread.device_id else None,
            "firmware_version": thread.firmware_version,
            "bug_status": thread.bug_status,
            "fixed_in_version": thread.fixed_in_version,
            "fixed_in_release": thread.fixed_in_release_id,
            "me_too": thread.vote_count,
        },
        "actor": actor_name,
    }
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    delivery = WebhookDelivery.objects.create(
        event=event, thread_id=thread.pk, body=body, next_attempt_at=timezone.now()
    )
    enqueue_on_commit("moderation.send_triage_webhook", delivery.pk)
    return delivery


def _post(delivery: WebhookDelivery) -> None:
    """One HTTP POST; raises on anything but a 2xx answer."""
    body = delivery.body.encode()
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
        _config()["TRIAGE_WEBHOOK_URL"],
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Popcorn-Triage-Webhook",
            "X-Popcorn-Event": delivery.event,
            "X-Popcorn-Delivery": str(delivery.pk),
            "X-Popcorn-Signature": webhook_signature(body, _config()["TRIAGE_WEBHOOK_SECRET"]),
        },
    )
    with urllib.request.urlopen(request, timeout=_config()["TRIAGE_WEBHOOK_TIMEOUT"]) as answer:  # noqa: S310
        answer.read(1024)


def webhook_deliver(*, delivery_id: int) -> bool:
    """Try one delivery now, if it is still waiting; True when the receiver took it.

    The row is claimed (locked, skip_locked) for the attempt's duration, so the
    task after commit and the retry job never send the same delivery at once.
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(pk=delivery_id, delivered_at__isnull=True, failed_at__isnull=True)
            .first()
        )
        if delivery is None:
            return False
        now = timezone.now()
        try:
            _post(delivery)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            delivery.attempts += 1
            delivery.last_error = str(exc)[:300]
            if delivery.attempts >= _config()["TRIAGE_WEBHOOK_ATTEMPTS"]:
                delivery.failed_at, delivery.next_attempt_at = now, None
            else:
                wait = _config()["TRIAGE_WEBHOOK_BACKOFF_SECONDS"] * 2 ** (delivery.attempts - 1)
                delivery.next_attempt_at = now + timedelta(seconds=wait)
            delivery.save(update_fields=["attempts", "last_error", "failed_at", "next_attempt_at"])
            return False
        delivery.attempts += 1
        delivery.delivered_at, delivery.next_attempt_at, delivery.last_error = now, None, ""
        delivery.save(update_fields=["attempts", "delivered_at", "next_attempt_at", "last_error"])
        return True


def webhooks_retry_due(*, batch: int = 100) -> int:
    """Send the deliveries whose backoff is over, oldest first; returns how many went through."""
    due = (
        WebhookDelivery.objects.filter(
            delivered_at__isnull=True,
            failed_at__isnull=True,
            next_attempt_at__lte=timezone.now(),
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:batch]
    )
    return sum(webhook_deliver(delivery_id=pk) for pk in list(due))
