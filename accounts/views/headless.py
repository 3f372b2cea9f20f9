"""The app's sign-up (allauth headless) with the same invitation code as the page's form.

allauth's headless SignupInput does not use ACCOUNT_FORMS["signup"], so this view puts
accounts.forms.invitations.InvitationCodeMixin on it; config.urls mounts it at allauth's
own address, before allauth's routes. Rate limits, the adapter and email verification
stay allauth's.
"""

from allauth.headless.account.inputs import SignupInput
from allauth.headless.account.views import SignupView

from accounts.forms.invitations import InvitationCodeMixin


class InvitationSignupInput(InvitationCodeMixin, SignupInput):
    """allauth's headless sign-up input plus `invitation_code`, as the registration mode says."""


class InvitationSignupView(SignupView):
    input_class = {"POST": InvitationSignupInput}


app_signup = InvitationSignupView.as_api_view(client="app")
