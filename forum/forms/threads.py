from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Device
from config.ids import IdModelChoiceField
from forum.forms.attachments import AttachmentsField
from forum.models import ThreadType
from forum.validators import validate_body, validate_firmware_version, validate_title


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), validators=[validate_title])
    thread_type = forms.ChoiceField(label=_("Type"), choices=ThreadType.choices)
    device = IdModelChoiceField(
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
