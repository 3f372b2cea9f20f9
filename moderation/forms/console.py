from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.levels import all_levels
from accounts.models import CoreLock, Device, Program
from config.ids import IdModelChoiceField
from moderation.selectors.console import SORTS

DATE = forms.DateInput(attrs={"type": "date"})
MAX_CHART_DAYS = 731
# Far-off dates overflow date arithmetic and time-zone conversion: refuse them.
SANE_DATES = [MinValueValidator(date(2000, 1, 1)), MaxValueValidator(date(2100, 12, 31))]


def _date_field(label) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DATE, validators=SANE_DATES)


class ChartRangeForm(forms.Form):
    start = _date_field(_("From"))
    end = _date_field(_("To"))

    def clean(self):
        data = super().clean()
        start = data.get("start")
        end = data.get("end") or timezone.localdate() - timedelta(days=1)
        if start:
            if end < start:
                raise ValidationError({"end": [_("The range ends before it starts.")]})
            if (end - start).days > MAX_CHART_DAYS:
                raise ValidationError({"start": [_("Show at most two years at once.")]})
        return data

    def range(self, default_days: int):
        """The chosen (first, last) days; the last `default_days` up to yesterday otherwise."""
        last = timezone.localdate() - timedelta(days=1)
        first = last - timedelta(days=default_days - 1)
        if self.is_bound and self.is_valid():
            last = self.cleaned_data["end"] or last
            first = self.cleaned_data["start"] or min(
                first, last - timedelta(days=default_days - 1)
            )
        return first, last


class CoreUserFilterForm(forms.Form):
    """The member list's filter; the export re-applies exactly these fields."""

    level = forms.ChoiceField(label=_("Level at least"), required=False)
    reputation_min = forms.IntegerField(label=_("Reputation from"), required=False)
    reputation_max = forms.IntegerField(label=_("Reputation to"), required=False)
    days_active_min = forms.IntegerField(
        label=_("Days active (30d) at least"), required=False, min_value=0, max_value=30
    )
    posts_min = forms.IntegerField(label=_("Posts (30d) at least"), required=False, min_value=0)
    device = IdModelChoiceField(
        label=_("Owns device"),
        queryset=Device.objects.all(),
        required=False,
        empty_label=_("Any device"),
    )
    joined_after = _date_field(_("Joined on or after"))
    joined_before = _date_field(_("Joined on or before"))
    core = forms.ChoiceField(
        label=_("Core user"),
        required=False,
        choices=[("", _("Anyone")), ("yes", _("Core users")), ("no", _("Not core"))],
    )
    program = IdModelChoiceField(
        label=_("Member of program"),
        queryset=Program.objects.order_by("-starts_at"),
        required=False,
        empty_label=_("Any"),
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", _("Any level"))] + [
            (level.key, level.name) for level in all_levels()
        ]
        names = {
            "reputation": _("reputation"),
            "days_active": _("days active"),
            "posts": _("posts"),
            "likes": _("likes received"),
            "joined": _("joined"),
            "last_seen": _("last seen"),
            "username": _("username"),
        }
        choices = []
        for key in SORTS:
            choices += [(f"-{key}", f"{names[key]} ↓"), (key, f"{names[key]} ↑")]
        self.fields["sort"].choices = choices

    def clean(self):
        data = super().clean()
        low, high = data.get("reputation_min"), data.get("reputation_max")
        if low is not None and high is not None and high < low:
            raise ValidationError({"reputation_max": [_("Must not be below the lower bound.")]})
        after, before = data.get("joined_after"), data.get("joined_before")
        if after and before and before < after:
            raise ValidationError({"joined_before": [_("The range ends before it starts.")]})
        return data

    def filters(self) -> dict:
        """The valid, non-empty filters (sort apart); empty when the form is invalid."""
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if k != "sort" and v not in (None, "")}

    def ordering(self) -> str:
        return (self.is_valid() and self.cleaned_data.get("sort")) or "-reputation"

    def errors_text(self) -> str:
        """The errors on one line, for an export that failed on them."""
        return "; ".join(f"{field}: {' '.join(e)}" for field, e in self.errors.items())

    def submitted(self) -> dict:
        """The raw values as submitted, for the export job and the page links."""
        return {k: v for k, v in self.data.items() if k in self.fields and v}


class CoreLockForm(forms.Form):
    lock = forms.ChoiceField(label=_("Core flag"), choices=CoreLock.choices, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500)
