"""Storing checked uploads and writing their Attachment rows (forum.attachments checks them).

stored() writes the cleaned files through Django's storage API (local disk in
development, S3-compatible in production) before the post's transaction opens,
and deletes them again if that transaction fails.
"""

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from accounts.models import User
from forum.attachments import CleanedFile
from forum.models import Attachment, Post


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


def attachment_rows(*, post: Post, uploader: User, files: Sequence[StoredFile]) -> list[Attachment]:
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


def attach(*, post: Post, uploader: User, files: Sequence[StoredFile]) -> None:
    """Attachment rows for files already in storage, in the post's transaction."""
    if files:
        Attachment.objects.bulk_create(attachment_rows(post=post, uploader=uploader, files=files))
