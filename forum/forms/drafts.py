"""What a posting form sends when its draft is saved: every field optional, only types
checked here (forum.services.drafts checks the lengths, as posting would)."""

from django import forms

from accounts.models import Device


class ReplyDraftForm(forms.Form):
    body = forms.CharField(required=False, strip=False)


class ThreadDraftForm(ReplyDraftForm):
    title = forms.CharField(required=False)
    # Any text: a draft may be saved while the type is still being chosen (the service checks).
    thread_type = forms.CharField(required=False, max_length=12)
    device = forms.ModelChoiceField(
        queryset=Device.objects.all(), required=False, to_field_name="codename"
    )
    firmware_version = forms.CharField(required=False)
