"""The bell, the notifications page, preferences, and emails with a working unsubscribe link."""

import pytest

from accounts import services
from accounts.models import Delivery, Notification, NotificationKind, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _unread(user) -> int:
    return User.objects.values_list("unread_notifications", flat=True).get(pk=user.pk)


def test_fan_out_reaches_members_left_at_the_default(member):
    chose_in_app = UserFactory(notification_settings={"reply": Delivery.IN_APP})
    chose_off = UserFactory(notification_settings={"reply": Delivery.OFF})
    notified = services.notification_fan_out(
        recipients=[member.pk, chose_in_app.pk, chose_off.pk],
        kind=NotificationKind.REPLY,
        target_url="/t/1/2",
        target_title="x",
    )
    assert notified == 2
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
        member.pk,
        chose_in_app.pk,
    }
    assert (_unread(member), _unread(chose_in_app), _unread(chose_off)) == (1, 1, 0)
