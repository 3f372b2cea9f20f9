from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts import levels
from accounts.models import PROGRAM_FIELDS, Device, Program, User
from config.ids import IdListField, IdModelChoiceField, IdModelMultipleChoiceField
from forum.models import Board


class ProgramForm(forms.ModelForm):
    """A program's settings, criteria and private board; the service re-validates."""

    min_level = forms.ChoiceField(label=_("Minimum level"), required=False)
    devices = IdModelMultipleChoiceField(
        label=_("Devices"),
        queryset=Device.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    board = IdModelChoiceField(
        label=_("Private board"),
        queryset=Board.objects.none(),
        required=False,
        help_text=_("Only the program's members (and its moderators and staff) will see it."),
    )

    class Meta:
        model = Program
        fields = [*PROGRAM_FIELDS, "devices"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["min_level"].choices = [("", _("Any level"))] + [
            (level.key, f"{level.name} ({level.threshold}+)") for level in levels.all_levels()
        ]
        free = Q(program__isnull=True)
        if self.instance.pk:
            free |= Q(program=self.instance)
            self.fields["board"].initial = Board.objects.filter(program=self.instance).first()
        self.fields["board"].queryset = (
            Board.objects.filter(free)
            .select_related("section")
            .order_by("section__position", "position", "id")
        )

    def program_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROGRAM_FIELDS}


class InviteUserForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)

    def clean_username(self):
        user = User.objects.filter(username=self.cleaned_data["username"].strip()).first()
        if user is None:
            raise forms.ValidationError(_("There is no member with this username."))
        return user


class InviteSelectedForm(forms.Form):
    users = IdListField(label=_("Candidates"), required=False)

    def clean_users(self):
        users = self.cleaned_data["users"]
        if not users:
            raise forms.ValidationError(_("Choose at least one candidate."))
        return users


class RemoveForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
