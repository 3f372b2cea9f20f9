from django import forms
from django.utils.translation import gettext_lazy as _

from .images import clean_avatar
from .models import Delivery, Device, NotificationKind
from .services import delivery_for


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
    devices = forms.ModelMultipleChoiceField(
        label=_("Devices I own"),
        queryset=Device.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        if upload is False:  # "clear" ticked
            return False
        if not upload:
            return None
        return clean_avatar(upload)


class NotificationSettingsForm(forms.Form):
    """A delivery choice per notification kind, then auto-watch."""

    auto_watch = forms.BooleanField(
        label=_("Watch threads I start or reply to"),
        required=False,
        help_text=_("Watched threads notify you of new replies."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in NotificationKind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                initial=delivery_for(user, kind),
            )
        self.fields["auto_watch"].initial = user.auto_watch
        self.order_fields([*NotificationKind.values, "auto_watch"])

    def deliveries(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] for kind in NotificationKind.values}
