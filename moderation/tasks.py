"""Moderation's jobs: each loads what it needs by id and calls one service."""

from celery import shared_task
from django.conf import settings
from django.utils import translation

from config.jobs import job
from moderation import services
from moderation.forms.console import CoreUserFilterForm
from moderation.models import UserExport


@job("moderation.tidy_expired_sanctions")
def tidy_expired_sanctions() -> int:
    """Clear expired suspensions and silences; idempotent, set-based. Returns rows changed.

    Expiry already takes effect at request time; this keeps the columns honest
    for lists and the admin.
    """
    return services.sanctions_tidy_expired()


@job("moderation.write_user_export", by_hand=False)
def write_user_export(export_id: int, language: str | None = None) -> int:
    """Write one large member export to a file (the console shows its progress),
    its header row in `language` (the requester's; default the site's)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return _write_user_export(export_id)


def _write_user_export(export_id: int) -> int:
    export = UserExport.objects.filter(pk=export_id).only("pk", "filters").first()
    if export is None:
        return 0
    # The filter is validated again: a device or program deleted since fails
    # the export rather than widening it to everyone.
    form = CoreUserFilterForm(export.filters)
    if not form.is_valid():
        services.export_fail(export_id=export.pk, error=form.errors_text())
        return 0
    written = services.export_write(
        export_id=export.pk, filters=form.filters(), sort=form.ordering()
    )
    return written.rows_written if written else 0


@job("moderation.delete_old_exports")
def delete_old_exports() -> int:
    """Delete member-export files older than EXPORT_KEEP_HOURS."""
    return services.exports_delete_old()


@shared_task(name="moderation.send_export_ready_email", acks_late=True)
def send_export_ready_email(export_id: int) -> int:
    return services.export_ready_email_send(export_id=export_id)


@job("moderation.build_member_archive", by_hand=False)
def build_member_archive(archive_id: int) -> bool:
    """Write one member's data archive (queued when they, or staff, ask for it)."""
    return services.member_archive_build(archive_id)


@job("moderation.expire_member_archives")
def expire_member_archives() -> int:
    """Daily: delete archives older than POPCORN["MEMBER_ARCHIVE_DAYS"]."""
    return services.member_archives_expire()


@job("moderation.send_triage_webhook", by_hand=False)
def send_triage_webhook(delivery_id: int) -> bool:
    """Send one triage webhook delivery after the moderator's action committed."""
    return services.webhook_deliver(delivery_id=delivery_id)


@job("moderation.retry_triage_webhooks")
def retry_triage_webhooks() -> int:
    """Every minute: resend the triage webhook deliveries whose backoff is over."""
    return services.webhooks_retry_due()


@job("moderation.flag_watched_post", by_hand=False)
def flag_watched_post(post_id: int, words: list[str]) -> bool:
    """After a post holding words flagged for review committed: the system reports it."""
    return services.watched_post_flag(post_id=post_id, words=words)


@job("moderation.flag_watched_message", by_hand=False)
def flag_watched_message(message_id: int, words: list[str]) -> bool:
    """After a private message holding words flagged for review committed."""
    return services.watched_message_flag(message_id=message_id, words=words)


@job("moderation.purge_expired_bans")
def purge_expired_bans() -> int:
    """Daily: delete bans that expired long ago (expiry itself needs no job)."""
    return services.bans_purge_expired()
