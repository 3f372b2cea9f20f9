from celery import shared_task

from . import notifications_email


@shared_task(name="accounts.send_notification_emails", acks_late=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    return notifications_email.send(notification_ids)
