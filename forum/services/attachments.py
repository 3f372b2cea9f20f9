"""Storing checked uploads and writing their Attachment rows (forum.attachments checks them).

stored() writes the cleaned files through Django's storage API (local disk in
development, S3-compatible in production) before the post's transaction opens,
and deletes them again if that transaction fails.

A posting form sent back with an error keeps its good files as pending uploads
(rows with no post, owned by the member): a browser cannot fill a file input
again, so the form carries their ids instead and the post claims them when it is
written. Nobody else's ids count, and forum.delete_expired_uploads deletes what
was never claimed after PENDING_UPLOAD_HOURS.
"""

import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction

from accounts.models import User
from forum.attachments import CleanedFile, check_count, clean_uploads
from forum.models import Attachment, Board, Post
from forum.permissions import attachments_denied_reason, posting_denied_reason
from forum.selectors.attachments import pending_cutoff, pending_uploads


@dataclass(frozen=True)
class StoredFile:
    cleaned: CleanedFile
    name: str


@contextmanager
def stored(files: Sequence[CleanedFile]) -> Iterator[list[StoredFile]]:
    """Write the files to storage; delete them again if the block raises.

    Called before the post's transaction opens, so a slow S3 upload never holds
    the thread's row lock (or SQLite's write lock) that the transaction takes.
    """
    field = Attachment._meta.get_field("file")
    done: list[StoredFile] = []
    try:
        for cleaned in files:
            # A random name: storage URLs are public, so they must not be guessable,
            # and the uploader's file name never reaches a path.
            wanted = field.generate_filename(None, uuid.uuid4().hex + cleaned.extension)
            cleaned.content.seek(0)
            done.append(StoredFile(cleaned, field.storage.save(wanted, cleaned.content)))
        yield done
    except BaseException:
        for item in done:
            field.storage.delete(item.name)
        raise


def clean_post_files(files: Sequence, *, pending: Sequence[Attachment] = ()) -> list[CleanedFile]:
    """A post's new files, each checked, and their count with its pending uploads."""
    cleaned = clean_uploads(files)
    check_count(len(cleaned) + len(pending))
    return cleaned


def attachment_rows(
    *, post: Post | None, uploader: User, files: Sequence[StoredFile]
) -> list[Attachment]:
    return [
        Attachment(
            post=post,
            uploader=uploader,
            file=item.name,
            kind=item.cleaned.kind,
            original_name=item.cleaned.original_name,
            content_type=item.cleaned.content_type,
            size=item.cleaned.size,
            width=item.cleaned.width,
            height=item.cleaned.height,
        )
        for item in files
    ]


def attach(
    *,
    post: Post,
    uploader: User,
    files: Sequence[StoredFile],
    pending: Sequence[Attachment] = (),
) -> None:
    """Attachment rows for files already in storage, in the post's transaction, and the
    uploader's pending uploads claimed for the post.

    The claim is one conditional UPDATE: an upload that another tab's post claimed a
    moment ago, or that expired and was deleted meanwhile, is not taken twice.
    """
    if pending:
        Attachment.objects.filter(
            pk__in=[upload.pk for upload in pending], uploader=uploader, post__isnull=True
        ).update(post=post)
    if files:
        Attachment.objects.bulk_create(attachment_rows(post=post, uploader=uploader, files=files))


# Pending uploads ----------------------------------------------------------------


def pending_uploads_keep(
    *,
    uploader: User,
    board: Board,
    files: Sequence[CleanedFile] = (),
    keep: Iterable[int] = (),
    remove: Iterable[int] = (),
) -> list[Attachment]:
    """The uploads a form sent back shows again, kept as the member's pending uploads.

    `keep`: the pending ids the form carried (only the member's own unexpired ones
    count; any other id is ignored); `remove`: those they ticked to drop, deleted now;
    `files`: this submit's files that passed their checks, stored as new pending
    uploads when the member may post and attach files in this board (as the post would
    be refused them otherwise) and one post could still carry them all. Each member
    holds at most PENDING_UPLOADS_PER_MEMBER: their oldest others are deleted, so a form
    sent back again and again cannot fill the storage.
    """
    remove = {pk for pk in remove if isinstance(pk, int)}
    if remove:
        pending_uploads_discard(uploader=uploader, ids=remove)
    kept = pending_uploads(uploader=uploader, ids=[pk for pk in keep if pk not in remove])
    may_attach = (
        posting_denied_reason(uploader, board) is None
        and attachments_denied_reason(uploader, board) is None
    )
    room = settings.POPCORN["ATTACHMENTS_PER_POST"] - len(kept)
    if not files or not may_attach or len(files) > room:
        return kept
    with stored(files) as done, transaction.atomic():
        # One row at a time: their ids go into the form, and a handful is all there is.
        new = attachment_rows(post=None, uploader=uploader, files=done)
        for row in new:
            row.save(force_insert=True)
    kept += new
    _trim_pending(uploader=uploader, keep=[upload.pk for upload in kept])
    return kept


def _trim_pending(*, uploader: User, keep: Sequence[int]) -> None:
    room = max(0, settings.POPCORN["PENDING_UPLOADS_PER_MEMBER"] - len(keep))
    others = (
        Attachment.objects.filter(uploader=uploader, post__isnull=True)
        .exclude(pk__in=keep)
        .order_by("-created_at", "-pk")
        .only("pk", "file")[room:]
    )
    _delete_pending(list(others))


def pending_uploads_discard(*, uploader: User, ids: Iterable[int]) -> int:
    """Delete the uploader's own pending uploads among `ids` (the form's "remove")."""
    ids = {pk for pk in ids if isinstance(pk, int)}
    if not ids:
        return 0
    uploads = Attachment.objects.filter(pk__in=ids, uploader=uploader, post__isnull=True)
    return _delete_pending(list(uploads.only("pk", "file")))


EXPIRED_BATCH = 500


def pending_uploads_delete_expired(*, now: datetime | None = None) -> int:
    """Delete pending uploads older than PENDING_UPLOAD_HOURS, files and rows; how many.

    Idempotent and safe beside posting: each row goes in its own conditional DELETE,
    so an upload a post claimed a moment ago stays (and keeps its file).
    """
    cutoff = pending_cutoff(now)
    count = 0
    while True:
        batch = list(
            Attachment.objects.filter(post__isnull=True, created_at__lt=cutoff)
            .order_by("created_at", "pk")
            .only("pk", "file")[:EXPIRED_BATCH]
        )
        count += _delete_pending(batch)
        if len(batch) < EXPIRED_BATCH:
            return count


def _delete_pending(uploads: Sequence[Attachment]) -> int:
    """Delete these uploads if still unclaimed; each file goes once its row is gone."""
    field = Attachment._meta.get_field("file")
    count = 0
    for upload in uploads:
        deleted, _rows = Attachment.objects.filter(pk=upload.pk, post__isnull=True).delete()
        if deleted:
            name = upload.file.name
            transaction.on_commit(lambda name=name: field.storage.delete(name))
            count += 1
    return count
