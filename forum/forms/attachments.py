"""The file input posting forms share; each file is checked by forum.attachments."""

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forum.attachments import clean_uploads


def _attachments_help() -> str:
    count = settings.POPCORN["ATTACHMENTS_PER_POST"]
    text = ngettext(
        "Up to %(count)d image (PNG, JPEG, WebP, GIF) or log (.txt, .log, .zip).",
        "Up to %(count)d images (PNG, JPEG, WebP, GIF) or logs (.txt, .log, .zip).",
        count,
    )
    return text % {"count": count}


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input; each is checked by forum.attachments."""

    widget = MultipleFileInput(
        attrs={"accept": "image/png,image/jpeg,image/webp,image/gif,.txt,.log,.zip"}
    )

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Attach files"))
        kwargs.setdefault("help_text", lazy(_attachments_help, str)())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        # Content, size and count are checked here so the form shows every bad
        # file at once; the services accept the cleaned files as they are.
        return clean_uploads(uploads)
