"""Blocking a member by name."""

from django import forms
from django.utils.translation import gettext_lazy as _


class BlockForm(forms.Form):
    username = forms.CharField(label=_("Member name"), max_length=150)

    def clean_username(self):
        return self.cleaned_data["username"].strip().lstrip("@")
