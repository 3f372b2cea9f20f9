"""Notification emails, each with a one-click unsubscribe link that needs no login.

Each is worded in its recipient's language (the task runs with no request, so
nothing else would choose it) and every link starts with settings.SITE_URL.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.languages import language_for
from accounts.models import Notification
from config.site import site_url

UNSUBSCRIBE_SALT = "accounts.unsubscribe"


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, kind) from a token; raises signing.BadSignature if forged."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(data["u"]), str(data["k"])


def _message(notification: Notification) -> EmailMessage:
    recipient = notification.recipient
    language = language_for(recipient)
    unsubscribe_url = site_url(
        reverse(
            "accounts:unsubscribe",
            args=[unsubscribe_token(user_id=recipient.pk, kind=notification.kind)],
        )
    )
    context = {
        "notification": notification,
        "recipient": recipient,
        "target_url": site_url(notification.target_url),
        "unsubscribe_url": unsubscribe_url,
        "site_name": settings.POPCORN["SITE_NAME"],
    }
    with translation.override(language):
        subject = render_to_string("accounts/notifications/email_subject.txt", context)
        body = render_to_string("accounts/notifications/email_body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[recipient.email],
        headers={
            "Content-Language": language,
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def notification_emails_send(*, notification_ids: list[int]) -> int:
    notifications = Notification.objects.filter(pk__in=notification_ids).select_related("recipient")
    messages = [
        _message(notification)
        for notification in notifications
        if notification.recipient.email and notification.recipient.is_active
    ]
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
