"""The notification settings form: a delivery per kind, and auto-watch."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Delivery, NotificationKind
from accounts.selectors import delivery_for


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
