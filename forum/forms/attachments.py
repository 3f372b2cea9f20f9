"""The files part of the posting forms: the file input, the uploads a form sent back keeps,
and the rule said before a file is picked. Each file is checked by forum.attachments."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from config.ids import IdListField
from forum.attachments import accepted_types, clean_uploads, rules_text


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input; each is checked by forum.attachments."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Attach files"))
        kwargs.setdefault("help_text", lazy(rules_text, str)())
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accepted_types()}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        # Content, size and count are checked here so the form shows every bad
        # file at once; the services accept the cleaned files as they are.
        return clean_uploads(uploads)


class UploadIdsField(IdListField):
    """Ids of pending uploads, as the form carries them (the services check whose they are)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value) -> list[int]:
        if isinstance(value, list | tuple):
            value = [v for v in value if str(v).strip()]
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                _("Your chosen files were lost; choose them again."), code="invalid"
            ) from None


class PostFilesMixin:
    """The files of a posting form: new files, the pending uploads it was sent back with
    ("Chosen: name.png", a box to remove each), or, when the member may not attach files
    in this board, no file input but the rule (forum.permissions.attachments_denied_reason)."""

    FILE_FIELDS = ("attachments", "pending_uploads", "remove_uploads")

    def __init__(self, *args, attachments_denied: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.attachments_denied = attachments_denied
        self.pending = []  # the pending uploads shown on the form (Attachment rows)
        self.removed_uploads: list[int] = []
        if attachments_denied:
            for name in self.FILE_FIELDS:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        self.removed_uploads = data.pop("remove_uploads", None) or []
        if "pending_uploads" in data:
            data["pending_uploads"] = [
                pk for pk in data["pending_uploads"] if pk not in self.removed_uploads
            ]
        return data

    def carried_uploads(self, data) -> list[int]:
        """The pending ids a draft carries, less those ticked to remove (for a form built
        afresh around the draft, such as a quote added to it); bad input carries none."""
        ids = self.fields["pending_uploads"]
        try:
            kept = ids.clean(data.getlist("pending_uploads"))
            removed = ids.clean(data.getlist("remove_uploads"))
        except ValidationError:
            return []
        return [pk for pk in kept if pk not in removed]

    @property
    def files_errors(self):
        """Errors of the files part, shown next to the file input."""
        return [*self.errors.get("attachments", []), *self.errors.get("pending_uploads", [])]
