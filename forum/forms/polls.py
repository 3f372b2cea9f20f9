"""A poll's settings (on the new-thread form, or on its own page) and the vote form.

Options are a textarea, one per line: adding options needs no script.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

from forum.models import PollResults
from forum.services.polls import MAX_OPTIONS, PollSpec, poll_clean

_LOCAL = "%Y-%m-%dT%H:%M"


class PollForm(forms.Form):
    question = forms.CharField(label=gettext_lazy("Poll question"), max_length=200)
    options = forms.CharField(
        label=gettext_lazy("Options, one per line"),
        widget=forms.Textarea(attrs={"rows": 5}),
        # Interpolated per request (in __init__): `%` on a lazy string would freeze the
        # language of whichever request imported the module first.
        help_text="",
    )
    max_choices = forms.IntegerField(
        label=gettext_lazy("Choices per member"),
        min_value=1,
        max_value=MAX_OPTIONS,
        initial=1,
        help_text=gettext_lazy("1 for a single choice; more lets members pick several."),
    )
    closes_at = forms.DateTimeField(
        label=gettext_lazy("Closes (optional)"),
        required=False,
        input_formats=[_LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_LOCAL),
    )
    results = forms.ChoiceField(
        label=gettext_lazy("Show results"), choices=PollResults.choices, initial="always"
    )
    is_public = forms.BooleanField(
        label=gettext_lazy("Public votes: show who voted for what"), required=False
    )

    def __init__(self, *args, optional: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["options"].help_text = gettext("From 2 to %(n)d options.") % {"n": MAX_OPTIONS}
        # On the new-thread form the poll is optional: a blank question means none.
        self.optional = optional
        if optional:
            for name in ("question", "options", "max_choices", "results"):
                self.fields[name].required = False

    @property
    def wanted(self) -> bool:
        return not self.optional or bool((self.data.get(self.add_prefix("question")) or "").strip())

    def full_clean(self):
        if not self.wanted:
            self.cleaned_data, self._errors = {}, forms.utils.ErrorDict()
            return
        super().full_clean()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["spec"] = poll_clean(
                question=data.get("question", ""),
                options=data.get("options", ""),
                max_choices=data.get("max_choices") or 1,
                closes_at=data.get("closes_at"),
                results=data.get("results") or PollResults.ALWAYS,
                is_public=data.get("is_public", False),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return data

    @property
    def spec(self) -> PollSpec | None:
        return self.cleaned_data.get("spec") if self.wanted else None

    @classmethod
    def initial_from(cls, poll) -> dict:
        return {
            "question": poll.question,
            "options": "\n".join(o.text for o in poll.options.all()),
            "max_choices": poll.max_choices,
            "closes_at": poll.closes_at,
            "results": poll.results,
            "is_public": poll.is_public,
        }
