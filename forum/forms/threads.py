from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Device
from config.ids import IdModelChoiceField
from forum.forms.attachments import AttachmentsField, PostFilesMixin, UploadIdsField
from forum.models import Board, ThreadType
from forum.validators import validate_body, validate_firmware_version, validate_title


def bug_report_template() -> str:
    """The outline a bug report starts from, in the reader's language (Markdown)."""
    # Translators: keep the Markdown (** for bold, "1." for numbered steps) and the line breaks.
    return _(
        "**Device:**\n"
        "**Firmware version:**\n\n"
        "**Steps to reproduce:**\n"
        "1.\n"
        "2.\n"
        "3.\n\n"
        "**Expected:**\n\n"
        "**Actual:**\n\n"
        "**Logs:** (attach the log file, or paste it between ``` lines)"
    )


def _words(text: str) -> str:
    return " ".join(text.split())


class ThreadForm(PostFilesMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), validators=[validate_title])
    # A meetup is started from its own form (forum.forms.meetups), with its event.
    thread_type = forms.ChoiceField(
        label=gettext_lazy("Type"),
        choices=[choice for choice in ThreadType.choices if choice[0] != ThreadType.EVENT],
    )
    device = IdModelChoiceField(
        label=gettext_lazy("Device"),
        queryset=Device.objects.all(),
        required=False,
        to_field_name="codename",
    )
    firmware_version = forms.CharField(
        label=gettext_lazy("Firmware version"),
        required=False,
        validators=[validate_firmware_version],
        widget=forms.TextInput(attrs={"placeholder": "V14.0.3.0.TMCCNXM"}),
    )
    body = forms.CharField(
        label=gettext_lazy("Post"),
        widget=forms.Textarea(
            attrs={"rows": 12, "placeholder": gettext_lazy("Markdown is supported")}
        ),
        validators=[validate_body],
    )
    attachments = AttachmentsField()
    pending_uploads = UploadIdsField()
    remove_uploads = UploadIdsField()

    def __init__(self, *args, board: Board | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        template = bug_report_template()
        # The page's script fills the template in when the type is switched to a bug
        # report while the post is empty, and takes it out again if left untouched.
        self.fields["body"].widget.attrs.update(
            {"data-template": template, "data-template-type": ThreadType.BUG}
        )
        # Similar threads are suggested under the title as it is typed (htmx, no script).
        self.fields["title"].widget.attrs.update(
            {
                "hx-get": reverse("forum:similar_threads"),
                "hx-trigger": "input changed delay:500ms",
                "hx-target": "#similar-threads",
                "hx-sync": "this:replace",
                "autocomplete": "off",
            }
        )
        if board is not None:
            self.initial.setdefault("device", board.device)
            self.initial.setdefault("thread_type", board.default_thread_type)
        if self.initial.get("thread_type") == ThreadType.BUG:
            self.initial.setdefault("body", template)

    def clean_body(self):
        body = self.cleaned_data["body"]
        if _words(body) == _words(bug_report_template()):
            raise ValidationError(
                _("Fill in the bug report: what you did, what you expected and what happened."),
                code="template_only",
            )
        return body
