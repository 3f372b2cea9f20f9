"""The member's own profile form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.images import clean_avatar
from accounts.languages import language_choices
from accounts.models import Device
from config.ids import IdModelMultipleChoiceField


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=60, required=False)
    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        help_text=_("PNG, JPEG, WebP or GIF, up to 2 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}
        ),
    )
    signature = forms.CharField(
        label=_("Signature"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    devices = IdModelMultipleChoiceField(
        label=_("Devices I own"),
        queryset=Device.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=language_choices,
        required=False,  # left out of a POST: the language stays as it is
        help_text=_("Pages, notifications and emails are in this language."),
    )

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        if upload is False:  # "clear" ticked
            return False
        if not upload:
            return None
        return clean_avatar(upload)
