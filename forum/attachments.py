"""Files attached to posts: checked from their bytes, never from the name or the browser.

clean_upload() decides what a file really is (Pillow for images, zipfile for
archives, a strict decode for text logs), refuses it when the extension claims
something else, and re-encodes images so no EXIF/GPS or trailing payload is kept.
forum.services.attachments then stores the cleaned files (before the post's
transaction opens) and writes their rows.
"""

import lzma
import posixpath
import re
import struct
import warnings
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import Attachment

IMAGE_EXTENSIONS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP", ".gif": "GIF"}
IMAGE_OUTPUT = {
    "PNG": (".png", "image/png"),
    "JPEG": (".jpg", "image/jpeg"),
    "WEBP": (".webp", "image/webp"),
    "GIF": (".gif", "image/gif"),
}
TEXT_EXTENSIONS = {".txt", ".log"}
ZIP_EXTENSIONS = {".zip"}
# Logs are stored as uploaded (developers diff them), so the charset found is kept with them.
TEXT_ENCODINGS = ("utf-8", "gb18030")
# Every type a stored attachment may be served as; anything else goes out as a download.
SERVED_CONTENT_TYPES = {
    "image/png",
    "image/jpeg",
    "image/webp",
    "image/gif",
    "text/plain; charset=utf-8",
    "text/plain; charset=gb18030",
    "application/zip",
}

# A 50-megapixel phone photo decodes; past this the decode alone would take
# hundreds of MB, so a tiny file declaring huge dimensions is refused unopened.
DECODE_MAX_PIXELS = 64_000_000
# Real log archives compress 5-20:1; thousands to one is a zip bomb.
ZIP_MAX_RATIO = 100
ZIP_RATIO_FLOOR_BYTES = 1024 * 1024  # tiny members may have silly ratios harmlessly
ZIP_MAX_MEMBERS = 1000
ZIP_READ_CHUNK = 1024 * 1024
# Control characters a log has no business holding (tab, newlines, form feed,
# backspace and ANSI escapes are fine); more than 1 in 100 means binary.
BINARY_CONTROL = re.compile(r"[\x01-\x07\x0b\x0e-\x1a\x1c-\x1f\x7f]")

EXECUTABLE_MAGIC = (
    b"MZ",
    b"\x7fELF",
    b"\xcf\xfa\xed\xfe",
    b"\xce\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)


@dataclass(frozen=True)
class CleanedFile:
    """An upload that passed the checks, ready to store (images already re-encoded)."""

    original_name: str
    kind: str
    content_type: str
    content: File
    size: int
    extension: str
    width: int | None = None
    height: int | None = None


def _limits() -> dict:
    return settings.POPCORN


def _refuse(message: str, name: str, code: str, **params) -> ValidationError:
    return ValidationError(message % {"name": name, **params}, code=code)


def _extension(name: str) -> str:
    return posixpath.splitext(name.lower())[1]


def _looks_executable(head: bytes) -> bool:
    # A program header always has NUL bytes right after its magic; plain text never does.
    return head.startswith(EXECUTABLE_MAGIC) and b"\x00" in head[:16]


def _read(upload, limit: int) -> bytes:
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    return data


def clean_upload(upload) -> CleanedFile:
    """Check one uploaded file by its content; raise ValidationError naming it."""
    name = posixpath.basename((upload.name or "").replace("\\", "/"))
    # The name reaches a Content-Disposition header on download: printable only.
    name = "".join(char for char in name if char.isprintable())[:255] or "file"
    extension = _extension(name)
    if extension in IMAGE_EXTENSIONS:
        kind, limit = Attachment.Kind.IMAGE, _limits()["ATTACHMENT_IMAGE_MAX_BYTES"]
    elif extension in TEXT_EXTENSIONS | ZIP_EXTENSIONS:
        kind, limit = Attachment.Kind.LOG, _limits()["ATTACHMENT_LOG_MAX_BYTES"]
    else:
        raise _refuse(
            _(
                "“%(name)s” cannot be attached: attach PNG, JPEG, WebP or GIF images, "
                "or logs as .txt, .log or .zip files."
            ),
            name,
            "attachment_type",
        )
    if not upload.size:
        raise _refuse(_("“%(name)s” is empty."), name, "attachment_empty")
    if upload.size > limit:
        raise _refuse(
            _("“%(name)s” is %(size)s; files of this kind can be at most %(limit)s."),
            name,
            "attachment_too_large",
            size=filesizeformat(upload.size),
            limit=filesizeformat(limit),
        )
    upload.seek(0)
    if _looks_executable(upload.read(16)):
        raise _refuse(
            _("“%(name)s” is a program, not an image or a log; it cannot be attached."),
            name,
            "attachment_executable",
        )
    if kind == Attachment.Kind.IMAGE:
        return _clean_image(upload, name)
    if extension in ZIP_EXTENSIONS:
        return _clean_zip(upload, name)
    return _clean_text(upload, name, limit)


def check_count(count: int) -> None:
    """A post carries at most ATTACHMENTS_PER_POST files, new and pending uploads together."""
    cap = _limits()["ATTACHMENTS_PER_POST"]
    if count > cap:
        raise ValidationError(
            ngettext(
                "Attach at most %(cap)d file to a post (you chose %(count)d).",
                "Attach at most %(cap)d files to a post (you chose %(count)d).",
                cap,
            )
            % {"cap": cap, "count": count},
            code="too_many_attachments",
        )


def clean_uploads(uploads: Sequence) -> list[CleanedFile]:
    """Check every file of one post, reporting each bad one (files already cleaned pass)."""
    uploads = list(uploads or ())
    check_count(len(uploads))
    cleaned, errors = [], []
    for upload in uploads:
        if isinstance(upload, CleanedFile):
            cleaned.append(upload)
            continue
        try:
            cleaned.append(clean_upload(upload))
        except ValidationError as exc:
            errors.extend(exc.error_list)
    if errors:
        raise ValidationError(errors)
    return cleaned


def accepted_types() -> str:
    """The file input's `accept`: the types clean_upload takes, so a phone offers only those."""
    images = dict.fromkeys(content_type for _ext, content_type in IMAGE_OUTPUT.values())
    return ",".join([*images, *sorted(TEXT_EXTENSIONS | ZIP_EXTENSIONS)])


def rules_text() -> str:
    """What a post may carry, said on the posting forms before a file is picked: the
    count and sizes are the limits clean_uploads applies."""
    limits = _limits()
    count = limits["ATTACHMENTS_PER_POST"]
    return ngettext(
        "Up to %(count)d file: an image (PNG, JPEG, WebP or GIF, at most %(image)s) "
        "or a log (.txt, .log or .zip, at most %(log)s).",
        "Up to %(count)d files: images (PNG, JPEG, WebP or GIF, at most %(image)s each) "
        "or logs (.txt, .log or .zip, at most %(log)s each).",
        count,
    ) % {
        "count": count,
        "image": filesizeformat(limits["ATTACHMENT_IMAGE_MAX_BYTES"]),
        "log": filesizeformat(limits["ATTACHMENT_LOG_MAX_BYTES"]),
    }


# Images ---------------------------------------------------------------------


def _not_an_image(name: str) -> ValidationError:
    return _refuse(
        _("“%(name)s” is not a PNG, JPEG, WebP or GIF image, or it is damaged."),
        name,
        "attachment_invalid_image",
    )


def _open_image(upload, name: str) -> Image.Image:
    not_an_image = _not_an_image(name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            probe = Image.open(upload)
            probe.verify()  # structure and checksums; the image is unusable afterwards
            upload.seek(0)
            image = Image.open(upload)
            if image.format not in IMAGE_OUTPUT:
                raise not_an_image
            if image.format == "JPEG":
                # Let the JPEG decoder scale down by 2/4/8 while decoding: big phone
                # photos then cost a fraction of the memory.
                side = _limits()["ATTACHMENT_IMAGE_MAX_PIXELS"]
                image.draft("RGB", _fit(image.size, side))
            if image.width * image.height > DECODE_MAX_PIXELS:
                raise Image.DecompressionBombError
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(
            _("“%(name)s” is too large an image (more than %(megapixels)d megapixels)."),
            name,
            "attachment_too_many_pixels",
            megapixels=DECODE_MAX_PIXELS // 1_000_000,
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_an_image from None
    return image


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _clean_image(upload, name: str) -> CleanedFile:
    image = _open_image(upload, name)
    fmt = image.format
    try:
        content, (width, height) = _reencode(image, fmt)
    # Malformed EXIF or an odd pixel mode fails here, after decoding succeeded.
    except (OSError, ValueError, SyntaxError, KeyError, TypeError, struct.error):
        raise _not_an_image(name) from None
    extension, content_type = IMAGE_OUTPUT[fmt]
    return CleanedFile(
        original_name=name,
        kind=Attachment.Kind.IMAGE,
        content_type=content_type,
        content=ContentFile(content),
        size=len(content),
        extension=extension,
        width=width,
        height=height,
    )


def _reencode(image: Image.Image, fmt: str) -> tuple[bytes, tuple[int, int]]:
    """Upright, at most the configured size, saved afresh without metadata.

    Animated GIF/WebP/APNG keep only their first frame: every extra frame is
    more decoding per request and where GIF bombs hide, and a screenshot of a
    bug needs no animation.
    """
    # Orientation lives in EXIF, which is dropped below, so turn the pixels first.
    image = ImageOps.exif_transpose(image)
    image = _normalise_mode(image, fmt)
    side = _limits()["ATTACHMENT_IMAGE_MAX_PIXELS"]
    if max(image.size) > side:
        if image.mode in ("1", "P"):
            image = image.convert("RGBA" if image.has_transparency_data else "RGB")
        image.thumbnail((side, side), Image.Resampling.LANCZOS)
    # Only transparency survives: EXIF, GPS, XMP, ICC profiles and comments are
    # read from .info by some encoders, so nothing else is handed to them.
    kept = {"transparency": image.info["transparency"]} if "transparency" in image.info else {}
    image.info = kept
    buffer = BytesIO()
    options = {"quality": 88} if fmt in ("JPEG", "WEBP") else {}
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue(), image.size


def _normalise_mode(image: Image.Image, fmt: str) -> Image.Image:
    if fmt == "JPEG":
        return image if image.mode in ("L", "RGB") else image.convert("RGB")
    if fmt == "GIF" and image.mode in ("P", "L"):
        return image
    if fmt == "PNG" and image.mode in ("1", "L", "LA", "P", "RGB", "RGBA"):
        return image
    return image.convert("RGBA" if image.has_transparency_data else "RGB")


# Logs -----------------------------------------------------------------------


def _clean_text(upload, name: str, limit: int) -> CleanedFile:
    data = _read(upload, limit)
    not_text = _refuse(
        _("“%(name)s” is not a text log: save it as UTF-8 (or GB18030) text, or zip it."),
        name,
        "attachment_not_text",
    )
    if b"\x00" in data:
        raise not_text
    for encoding in TEXT_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if len(BINARY_CONTROL.findall(text)) * 100 > len(text):
            raise not_text
        return CleanedFile(
            original_name=name,
            kind=Attachment.Kind.LOG,
            content_type=f"text/plain; charset={encoding}",
            content=upload,
            size=len(data),
            extension=_extension(name),
        )
    raise not_text


def _clean_zip(upload, name: str) -> CleanedFile:
    upload.seek(0)
    # A real archive starts with a local file header (or is empty); is_zipfile
    # alone also accepts any file with a zip glued to its end.
    if upload.read(4) not in (b"PK\x03\x04", b"PK\x05\x06") or not zipfile.is_zipfile(upload):
        raise _refuse(_("“%(name)s” is not a ZIP archive."), name, "attachment_not_zip")
    cap = _limits()["ATTACHMENT_ZIP_MAX_UNCOMPRESSED_BYTES"]
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            _check_zip_members(members, name, cap)
            for member in members:
                # Reading every member checks its CRC, and zipfile never reads past
                # the declared size, so the total checked above really holds.
                with archive.open(member) as stream:
                    while stream.read(ZIP_READ_CHUNK):
                        pass
    except ValidationError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        lzma.LZMAError,
        OSError,
        EOFError,
        NotImplementedError,
    ):
        raise _refuse(
            _("“%(name)s” is a damaged ZIP archive or uses an unsupported compression."),
            name,
            "attachment_bad_zip",
        ) from None
    except RuntimeError:  # zipfile's "password required"
        raise _encrypted(name) from None
    upload.seek(0)
    return CleanedFile(
        original_name=name,
        kind=Attachment.Kind.LOG,
        content_type="application/zip",
        content=upload,
        size=upload.size,
        extension=".zip",
    )


def _encrypted(name: str) -> ValidationError:
    return _refuse(
        _("“%(name)s” is password-protected; attach an archive without a password."),
        name,
        "attachment_encrypted",
    )


def _check_zip_members(members: list[zipfile.ZipInfo], name: str, cap: int) -> None:
    if not members:
        raise _refuse(_("“%(name)s” is an empty archive."), name, "attachment_empty")
    if len(members) > ZIP_MAX_MEMBERS:
        raise _refuse(
            ngettext(
                "“%(name)s” holds more than %(count)d file.",
                "“%(name)s” holds more than %(count)d files.",
                ZIP_MAX_MEMBERS,
            ),
            name,
            "attachment_zip_members",
            count=ZIP_MAX_MEMBERS,
        )
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise _encrypted(name)
        path = member.filename.replace("\\", "/")
        if path.startswith("/") or ".." in path.split("/") or ":" in path.split("/")[0]:
            raise _refuse(
                _("“%(name)s” contains unsafe paths (%(path)s)."),
                name,
                "attachment_zip_path",
                path=member.filename[:80],
            )
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > ZIP_RATIO_FLOOR_BYTES and ratio > ZIP_MAX_RATIO:
            raise _refuse(
                _("“%(name)s” is compressed too tightly to be a log archive (a zip bomb?)."),
                name,
                "attachment_zip_ratio",
            )
    if total > cap:
        raise _refuse(
            _("“%(name)s” unpacks to %(size)s; archives can unpack to at most %(limit)s."),
            name,
            "attachment_zip_too_large",
            size=filesizeformat(total),
            limit=filesizeformat(cap),
        )


def download_response(attachment: Attachment):
    """How a stored file goes out, for the page and the API alike, once the viewer may
    see it (forum.selectors.attachment_for_viewer): images inline (re-encoded, safe as
    they are), logs as a download with a fixed type that is never rendered inline.

    From an S3 bucket: a redirect to a signed URL that expires (settings.STORAGES); on
    the local file system: the proxy sends it (X-Accel-Redirect to its internal
    location, settings.ATTACHMENTS_ACCEL_PREFIX) or, with no proxy configured, this
    process does. No attachment has a public address of its own.
    """
    image = attachment.kind == Attachment.Kind.IMAGE
    content_type = attachment.content_type
    if content_type not in SERVED_CONTENT_TYPES:
        content_type = "application/octet-stream"
    disposition = content_disposition_header(not image, attachment.original_name)
    storage = attachment.file.storage
    if getattr(storage, "querystring_auth", False):
        return redirect(
            storage.url(
                attachment.file.name,
                parameters={
                    "ResponseContentType": content_type,
                    "ResponseContentDisposition": disposition,
                },
            )
        )
    if settings.ATTACHMENTS_ACCEL_PREFIX:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = (
            settings.ATTACHMENTS_ACCEL_PREFIX.rstrip("/") + "/" + (attachment.file.name)
        )
    else:
        response = FileResponse(attachment.file.open("rb"), content_type=content_type)
        response["Content-Length"] = attachment.size
    response["Content-Disposition"] = disposition
    # Only this viewer may keep it: a private board's file must not sit in a shared cache.
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser render it anyway, it gets no scripts, styles or origin.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
