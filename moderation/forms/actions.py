from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forum.limits import SLOW_MODE_CHOICES
from forum.models import Board, BugStatus
from forum.validators import validate_title
from moderation.models import AuditLog, ReportReason
from moderation.services import BULK_ACTIONS


class IdListField(forms.Field):
    """Ids from repeated inputs (checkboxes named alike)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        try:
            return sorted({int(v) for v in value or []})
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("Choose from the list."), code="invalid") from exc


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class MoveForm(ReasonForm):
    to_board = forms.ModelChoiceField(label=_("Move to"), queryset=Board.objects.all())
    leave_notice = forms.BooleanField(label=_("Leave a “Moved” notice"), required=False)


class MergeForm(ReasonForm):
    target = forms.IntegerField(label=_("Into thread number"), min_value=1)
    leave_notice = forms.BooleanField(label=_("Leave a “Moved” notice"), required=False)


class SplitForm(ReasonForm):
    title = forms.CharField(label=_("New thread title"), validators=[validate_title])
    posts = IdListField(label=_("Posts"))


class BugStatusForm(ReasonForm):
    status = forms.ChoiceField(label=_("Status"), choices=BugStatus.choices, required=False)
    fixed_in_version = forms.CharField(label=_("Fixed in version"), max_length=40, required=False)


class SlowModeForm(ReasonForm):
    seconds = forms.TypedChoiceField(label=_("Slow mode"), coerce=int, choices=SLOW_MODE_CHOICES)


class BulkForm(ReasonForm):
    action = forms.ChoiceField(label=_("Action"), choices=list(BULK_ACTIONS.items()))
    threads = IdListField(label=_("Threads"))
    to_board = forms.ModelChoiceField(
        label=_("Move to"), queryset=Board.objects.all(), required=False
    )


class AuditLogFilterForm(forms.Form):
    actor = forms.CharField(label=_("Moderator"), max_length=150, required=False)
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[("", _("All actions")), *AuditLog.Action.choices],
        required=False,
    )
    board = forms.ModelChoiceField(
        label=_("Board"), queryset=Board.objects.none(), required=False, empty_label=_("All boards")
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = boards


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
