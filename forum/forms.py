from datetime import date

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Device

from .attachments import clean_uploads
from .models import ThreadType
from .validators import validate_body, validate_firmware_version, validate_title


def _attachments_help() -> str:
    text = gettext("Up to %(count)d images (PNG, JPEG, WebP, GIF) or logs (.txt, .log, .zip).")
    return text % {"count": settings.POPCORN["ATTACHMENTS_PER_POST"]}


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


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply"),
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": _("Markdown is supported")}),
        validators=[validate_body],
        strip=True,
    )
    attachments = AttachmentsField()


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), validators=[validate_title])
    thread_type = forms.ChoiceField(label=_("Type"), choices=ThreadType.choices)
    device = forms.ModelChoiceField(
        label=_("Device"), queryset=Device.objects.all(), required=False, to_field_name="codename"
    )
    firmware_version = forms.CharField(
        label=_("Firmware version"),
        required=False,
        validators=[validate_firmware_version],
        widget=forms.TextInput(attrs={"placeholder": "V14.0.3.0.TMCCNXM"}),
    )
    body = forms.CharField(
        label=_("Post"),
        widget=forms.Textarea(attrs={"rows": 12, "placeholder": _("Markdown is supported")}),
        validators=[validate_body],
    )
    attachments = AttachmentsField()


def _search_date(label):
    # Bounded so turning a day into a time-zone-aware range can never overflow.
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        validators=[MinValueValidator(date(1900, 1, 1)), MaxValueValidator(date(9000, 12, 31))],
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class SearchForm(forms.Form):
    """The search page's GET parameters. Board and device choices come from the view."""

    q = forms.CharField(label=_("Search"), required=False)
    board = forms.ChoiceField(label=_("Board"), required=False)
    device = forms.ChoiceField(label=_("Device"), required=False)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *ThreadType.choices]
    )
    author = forms.CharField(label=_("Author"), required=False, max_length=150)
    after = _search_date(_("From"))
    before = _search_date(_("To"))

    def __init__(self, data, *, boards, devices):
        super().__init__(data)
        self.fields["board"].choices = [("", _("All boards")), *boards]
        self.fields["device"].choices = [("", _("All devices")), *devices]

    def clean(self):
        cleaned = super().clean()
        after, before = cleaned.get("after"), cleaned.get("before")
        if after and before and after > before:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned


class PostEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), validators=[validate_title])
    body = forms.CharField(
        label=_("Post"),
        widget=forms.Textarea(attrs={"rows": 12}),
        validators=[validate_body],
    )

    def __init__(self, *args, with_title: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_title:  # only the opening post carries the thread's title
            del self.fields["title"]
