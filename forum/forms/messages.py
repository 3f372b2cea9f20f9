"""Forms of private messages and bookmarks: the services check the rules."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _


def usernames(text: str) -> list[str]:
    """ "fan1, @fan2 fan3" or "fan1，fan2" (a Chinese comma) as a list of names."""
    return [name.lstrip("@") for name in re.split(r"[\s,，、;；]+", text or "") if name.strip("@")]


class ConversationForm(forms.Form):
    recipients = forms.CharField(
        label=_("To"),
        max_length=2000,
        help_text=_("Member names, separated by commas or spaces."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": _("Markdown is supported")}),
        max_length=10_000,
    )

    def recipient_names(self) -> list[str]:
        return usernames(self.cleaned_data["recipients"])


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Reply"),
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("Markdown is supported")}),
        max_length=10_000,
    )


class BookmarkForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


def apply_errors(form: forms.Form, error) -> None:
    """A service's ValidationError onto the form: per field where the form has it."""
    if hasattr(error, "message_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
