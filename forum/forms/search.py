from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from forum.models import ThreadType


def _search_date(label):
    # Bounded so turning a day into a time-zone-aware range can never overflow.
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        validators=[MinValueValidator(date(1900, 1, 1)), MaxValueValidator(date(9000, 12, 31))],
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class SearchForm(forms.Form):
    """The search page's GET parameters. Board and device choices come from the view."""

    q = forms.CharField(label=_("Search"), required=False)
    board = forms.ChoiceField(label=_("Board"), required=False)
    device = forms.ChoiceField(label=_("Device"), required=False)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *ThreadType.choices]
    )
    author = forms.CharField(label=_("Author"), required=False, max_length=150)
    after = _search_date(_("From"))
    before = _search_date(_("To"))

    def __init__(self, data, *, boards, devices):
        super().__init__(data)
        self.fields["board"].choices = [("", _("All boards")), *boards]
        self.fields["device"].choices = [("", _("All devices")), *devices]

    def clean(self):
        cleaned = super().clean()
        after, before = cleaned.get("after"), cleaned.get("before")
        if after and before and after > before:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned
