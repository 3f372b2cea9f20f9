from django import forms
from django.utils.translation import gettext_lazy as _

from config.ids import IdModelChoiceField
from forum.models import Board
from moderation.forms.console import SANE_DATES
from moderation.models import AuditLog


class AuditLogFilterForm(forms.Form):
    actor = forms.CharField(label=_("Moderator"), max_length=150, required=False)
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[("", _("All actions")), *AuditLog.Action.choices],
        required=False,
    )
    board = IdModelChoiceField(
        label=_("Board"), queryset=Board.objects.none(), required=False, empty_label=_("All boards")
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=SANE_DATES,
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=SANE_DATES,
    )

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = boards
