from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Hook for registration rules.

    Sign-up stays open in every registration mode: invitation-only is enforced
    by the sign-up form's required code (accounts.forms.invitations), so invited
    people can still join.
    """

    def is_open_for_signup(self, request):
        return True
