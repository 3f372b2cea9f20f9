"""Avatar uploads: checked from the bytes, re-encoded small and without metadata."""

from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

AVATAR_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "png"}
AVATAR_SIZE = 256


def clean_avatar(upload):
    limit = settings.POPCORN["AVATAR_MAX_BYTES"]
    if upload.size > limit:
        raise ValidationError(
            _("Avatars can be at most %(mb)d MB.") % {"mb": limit // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    try:
        image = Image.open(upload)
        image.verify()
        upload.seek(0)
        image = Image.open(upload)
        fmt = image.format
        if fmt not in AVATAR_FORMATS:
            raise ValidationError(
                _("Upload a PNG, JPEG, WebP or GIF image."), code="invalid_image_type"
            )
        max_pixels = settings.POPCORN["AVATAR_MAX_PIXELS"]
        if image.width > max_pixels or image.height > max_pixels:
            raise ValidationError(
                _("Images can be at most %(px)d pixels on each side.") % {"px": max_pixels},
                code="too_many_pixels",
            )
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            _("Upload a PNG, JPEG, WebP or GIF image."), code="invalid_image"
        ) from None

    # Re-encoding drops EXIF (GPS and camera data) and anything hidden after the image.
    out_format = "PNG" if fmt == "GIF" else fmt
    if out_format == "JPEG":
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA")
    image.thumbnail((AVATAR_SIZE, AVATAR_SIZE))
    buffer = BytesIO()
    image.save(buffer, format=out_format)
    extension = AVATAR_FORMATS[fmt]
    return InMemoryUploadedFile(
        buffer,
        "avatar",
        f"avatar.{extension}",
        f"image/{'jpeg' if extension == 'jpg' else extension}",
        buffer.tell(),
        None,
    )
