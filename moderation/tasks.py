from config.jobs import job
from moderation.services import exports, sanctions


@job("moderation.tidy_expired_sanctions")
def tidy_expired_sanctions() -> int:
    """Clear expired suspensions and silences; idempotent, set-based. Returns rows changed.

    Expiry already takes effect at request time; this keeps the columns honest
    for lists and the admin.
    """
    return sanctions.sanctions_tidy_expired()


@job("moderation.write_user_export", by_hand=False)
def write_user_export(export_id: int) -> int:
    """Write one large member export to a file (the console shows its progress)."""
    export = exports.export_write(export_id=export_id)
    return export.rows_written if export else 0


@job("moderation.delete_old_exports")
def delete_old_exports() -> int:
    """Delete member-export files older than EXPORT_KEEP_HOURS."""
    return exports.exports_delete_old()
