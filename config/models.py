from django.db import models
from django.utils import timezone


class OutboxTask(models.Model):
    """A task on its way to the broker (config.jobs).

    Written in the transaction whose write asked for the task, so it exists exactly
    when that write does; deleted once the broker took the task. A row left behind
    (the broker was unreachable, or the process died between commit and publish) is
    sent again by the `config.outbox_resend` job. Tasks are idempotent, so a task
    sent twice (taken by the broker, then the delete failed) does no harm.
    """

    name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_at", "id"], name="outbox_oldest_first")]

    def __str__(self):
        return f"{self.name} {self.args} {self.kwargs}"
