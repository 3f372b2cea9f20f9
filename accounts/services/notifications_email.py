"""Notification emails, each with a one-click unsubscribe link that needs no login."""

from django.conf import settings
from django.contrib.sites.models import Site
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import Notification

UNSUBSCRIBE_SALT = "accounts.unsubscribe"


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, kind) from a token; raises signing.BadSignature if forged."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(data["u"]), str(data["k"])


def _absolute(domain: str, path: str) -> str:
    return f"{settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL}://{domain}{path}"


def notification_emails_send(*, notification_ids: list[int]) -> int:
    notifications = Notification.objects.filter(pk__in=notification_ids).select_related("recipient")
    domain = Site.objects.get_current().domain
    messages = []
    for notification in notifications:
        recipient = notification.recipient
        if not recipient.email or not recipient.is_active:
            continue
        unsubscribe_url = _absolute(
            domain,
            reverse(
                "accounts:unsubscribe",
                args=[unsubscribe_token(user_id=recipient.pk, kind=notification.kind)],
            ),
        )
        context = {
            "notification": notification,
            "recipient": recipient,
            "target_url": _absolute(domain, notification.target_url),
            "unsubscribe_url": unsubscribe_url,
            "site_name": settings.POPCORN["SITE_NAME"],
        }
        subject = render_to_string("accounts/notifications/email_subject.txt", context)
        messages.append(
            EmailMessage(
                subject=" ".join(subject.split()),
                body=render_to_string("accounts/notifications/email_body.txt", context),
                to=[recipient.email],
                headers={
                    "List-Unsubscribe": f"<{unsubscribe_url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
        )
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
