from django import forms
from django.utils.translation import gettext_lazy as _

HOUR = 1
DAY = 24


class LiftForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class WarnForm(forms.Form):
    reason = forms.CharField(label=_("Reason, told to the member"), max_length=500)


class SilenceForm(forms.Form):
    hours = forms.TypedChoiceField(
        label=_("For"),
        coerce=int,
        choices=[
            (1 * HOUR, _("1 hour")),
            (6 * HOUR, _("6 hours")),
            (1 * DAY, _("1 day")),
            (3 * DAY, _("3 days")),
            (7 * DAY, _("7 days")),
            (30 * DAY, _("30 days")),
        ],
        initial=DAY,
    )
    reason = forms.CharField(label=_("Reason, told to the member"), max_length=500)


PERMANENT = 0


class SuspendForm(forms.Form):
    hours = forms.TypedChoiceField(
        label=_("For"),
        coerce=int,
        choices=[
            (1 * DAY, _("1 day")),
            (3 * DAY, _("3 days")),
            (7 * DAY, _("7 days")),
            (30 * DAY, _("30 days")),
            (90 * DAY, _("90 days")),
            (365 * DAY, _("1 year")),
            (PERMANENT, _("Permanently")),
        ],
        initial=7 * DAY,
    )
    reason = forms.CharField(label=_("Reason, told to the member"), max_length=500)
