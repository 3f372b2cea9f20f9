from django import forms
from django.utils.translation import gettext_lazy as _

from config.ids import IdField, IdListField, IdModelChoiceField
from forum.models import Board, BugStatus, FeedbackStatus
from forum.services import SLOW_MODE_CHOICES
from forum.validators import validate_title
from moderation.services import BULK_ACTIONS


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class MoveForm(ReasonForm):
    to_board = IdModelChoiceField(label=_("Move to"), queryset=Board.objects.all())
    leave_notice = forms.BooleanField(label=_("Leave a “Moved” notice"), required=False)


class MergeForm(ReasonForm):
    target = IdField(label=_("Into thread number"))
    leave_notice = forms.BooleanField(label=_("Leave a “Moved” notice"), required=False)


class SplitForm(ReasonForm):
    title = forms.CharField(label=_("New thread title"), validators=[validate_title])
    posts = IdListField(label=_("Posts"))


class BugStatusForm(ReasonForm):
    status = forms.ChoiceField(label=_("Status"), choices=BugStatus.choices, required=False)
    fixed_in_version = forms.CharField(label=_("Fixed in version"), max_length=40, required=False)
    release = IdField(label=_("Release-notes thread number"), required=False)


class FeedbackStatusForm(ReasonForm):
    status = forms.ChoiceField(label=_("Status"), choices=FeedbackStatus.choices, required=False)


class DuplicateForm(ReasonForm):
    original = IdField(label=_("Duplicate of thread number"))


class SlowModeForm(ReasonForm):
    seconds = forms.TypedChoiceField(label=_("Slow mode"), coerce=int, choices=SLOW_MODE_CHOICES)


class BulkForm(ReasonForm):
    action = forms.ChoiceField(label=_("Action"), choices=list(BULK_ACTIONS.items()))
    threads = IdListField(label=_("Threads"))
    to_board = IdModelChoiceField(label=_("Move to"), queryset=Board.objects.all(), required=False)
