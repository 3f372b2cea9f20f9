"""Members for the private-message tests: a settled member is past the new members' cap."""

from datetime import timedelta

from django.utils import timezone

from forum import services
from tests.factories import UserFactory


def settled(**kwargs):
    """A member who joined long ago at the Member level: no daily cap of new conversations."""
    return UserFactory(date_joined=timezone.now() - timedelta(days=60), reputation=100, **kwargs)


def start(author, *recipients, subject="Flashing 14.0.3", body="Did it work for you?", **kw):
    return services.conversation_start(
        author=author,
        recipients=[user.username for user in recipients],
        subject=subject,
        body=body,
        **kw,
    )
