"""Deleting an account: the member confirms with their password; staff give a reason."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DeleteOwnAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput, strip=False, max_length=4096
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand: my profile, email and settings are erased for good; my posts "
            "stay, shown by a deleted member."
        )
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.member.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


class DeleteMemberForm(forms.Form):
    reason = forms.CharField(label=_("The member's request (how and when it came)"), max_length=500)
    confirm = forms.BooleanField(label=_("Erase this account for good"))
