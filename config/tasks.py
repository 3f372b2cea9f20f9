"""The outbox's job: tasks queued while the broker was unreachable are sent again."""

from config.jobs import job
from config.jobs import outbox_resend as resend


@job("config.outbox_resend")
def outbox_resend():
    """Send the tasks the broker could not take when they were queued (config.jobs)."""
    return resend()
