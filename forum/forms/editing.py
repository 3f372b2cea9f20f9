from django import forms
from django.utils.translation import gettext_lazy as _

from forum.validators import validate_body, validate_title


class PostEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), validators=[validate_title])
    body = forms.CharField(
        label=_("Post"),
        widget=forms.Textarea(attrs={"rows": 12}),
        validators=[validate_body],
    )

    def __init__(self, *args, with_title: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_title:  # only the opening post carries the thread's title
            del self.fields["title"]
