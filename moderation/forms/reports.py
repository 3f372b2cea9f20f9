from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.forms.actions import ReasonForm
from moderation.models import ReportReason


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with it?"), choices=ReportReason.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Details for the moderators"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResolveForm(ReasonForm):
    OUTCOMES = [("hide", _("Hide the post")), ("dismiss", _("Dismiss the reports"))]

    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES)
    suspend_days = forms.IntegerField(
        label=_("And suspend the author for (days)"), min_value=1, max_value=3650, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "dismiss" and data.get("suspend_days"):
            self.add_error("suspend_days", _("Suspending goes with hiding the post."))
        return data


class MessageReportCloseForm(ReasonForm):
    OUTCOMES = [("uphold", _("Uphold the reports")), ("dismiss", _("Dismiss the reports"))]

    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES)


class WarningMessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Warning"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 6})
    )
