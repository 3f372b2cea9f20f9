from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Device
from forum.validators import validate_firmware_version


class VoteForm(forms.Form):
    """ "Me too": the device and firmware version the member hit the bug on."""

    # Codenames, not ids: a plain ModelChoiceField (the id-range check is for ids).
    device = forms.ModelChoiceField(
        label=_("Your device"),
        queryset=Device.objects.all(),
        required=False,
        to_field_name="codename",
    )
    firmware_version = forms.CharField(
        label=_("Your firmware version"),
        required=False,
        max_length=40,
        validators=[validate_firmware_version],
    )


class TriageFilterForm(forms.Form):
    firmware_version = forms.CharField(label=_("Firmware version"), required=False, max_length=40)
