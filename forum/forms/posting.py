from django import forms
from django.utils.translation import gettext_lazy as _

from forum.forms.attachments import AttachmentsField, PostFilesMixin, UploadIdsField
from forum.validators import validate_body


class ReplyForm(PostFilesMixin, forms.Form):
    body = forms.CharField(
        label=_("Reply"),
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": _("Markdown is supported")}),
        validators=[validate_body],
        strip=True,
    )
    attachments = AttachmentsField()
    pending_uploads = UploadIdsField()
    remove_uploads = UploadIdsField()
