"""Forms for invitations: the sign-up form with its code field, and the member's page."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts import permissions, selectors, services


class InvitationCodeMixin:
    """The invitation code the registration mode asks for, on any allauth sign-up form.

    open: no code field, unless the visitor came through a /join/ link (then it
    is filled in and optional, so the inviter is credited); open_with_code:
    optional; invite_only: required. A bad code is a field error and the rest
    of what was typed stays in the form. Used by the page's form below and by
    the app's sign-up (accounts.views.headless).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = None
        mode = permissions.registration_mode()
        if mode == permissions.OPEN and not self.initial.get("invitation_code"):
            return
        field = forms.CharField(
            label=_("Invitation code"),
            max_length=40,
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        )
        if mode == permissions.INVITE_ONLY:
            field.required = True
            field.help_text = _("Joining is by invitation only: enter the code a member gave you.")
            field.error_messages["required"] = _(
                "Joining is by invitation only: enter the code a member gave you."
            )
        else:
            field.help_text = _("Optional: a code from the member who invited you.")
        self.fields["invitation_code"] = field
        self.order_fields(["invitation_code"])

    def clean_invitation_code(self) -> str:
        raw = self.cleaned_data.get("invitation_code", "")
        if not raw.strip():
            return ""
        try:
            self.invitation = selectors.invitation_check(raw)
        except selectors.InvitationUnavailable as exc:
            raise ValidationError(exc.message, code=exc.reason) from None
        return self.invitation.code

    def save(self, request):
        # The account and the code's use are one transaction: if the code was
        # used up a moment ago, InvitationUnavailable leaves no account behind.
        with transaction.atomic():
            user = super().save(request)
            code = self.cleaned_data.get("invitation_code")
            if code:
                services.invitation_redeem(code=code, invitee=user)
        return user


class SignupForm(InvitationCodeMixin, AllauthSignupForm):
    """allauth's sign-up form plus the invitation code (InvitationCodeMixin)."""


class InvitationCreateForm(forms.Form):
    max_uses = forms.IntegerField(
        label=_("How many people may join with it"),
        min_value=1,
        initial=1,
        widget=forms.NumberInput(attrs={"min": 1}),
    )
    expires_in_days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        widget=forms.NumberInput(attrs={"min": 1}),
    )
    email = forms.EmailField(
        label=_("Send it to (optional)"),
        required=False,
        help_text=_("We email the link for you; leave empty to copy the link yourself."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        conf = permissions.invitation_config()
        for name, most in (
            ("max_uses", selectors.max_uses_allowed(user)),
            ("expires_in_days", conf["MAX_EXPIRY_DAYS"]),
        ):
            self.fields[name].validators.append(MaxValueValidator(most))
            self.fields[name].widget.attrs["max"] = most
        self.fields["expires_in_days"].initial = conf["EXPIRY_DAYS"]


class InvitationSendForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
