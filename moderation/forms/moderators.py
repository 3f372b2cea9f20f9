"""Appointing moderators by username: a board or section role, or global rights."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from config.ids import IdModelChoiceField
from moderation.selectors import appointment_boards, appointment_sections


class MemberField(forms.CharField):
    """A member named by username (never a raw id); the form's value is the User."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Username"))
        super().__init__(max_length=150, **kwargs)

    def clean(self, value):
        username = super().clean(value).strip()
        user = User.objects.filter(username=username).first()
        if user is None:
            raise ValidationError(_("There is no member with this username."), code="unknown")
        return user


class ModeratorRoleForm(forms.Form):
    """One board or one section, for a member."""

    username = MemberField()
    board = IdModelChoiceField(label=_("Board"), queryset=None, required=False)
    section = IdModelChoiceField(label=_("Section"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = appointment_boards()
        self.fields["section"].queryset = appointment_sections()

    def clean(self):
        data = super().clean()
        if bool(data.get("board")) == bool(data.get("section")):
            raise ValidationError(_("Choose one board or one section."))
        return data


class GlobalModeratorForm(forms.Form):
    GRANT, REVOKE = "grant", "revoke"

    username = MemberField()
    change = forms.ChoiceField(
        label=_("Change"),
        choices=[(GRANT, _("Make a global moderator")), (REVOKE, _("Remove global rights"))],
    )
