from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Hook for registration rules (invitation-only mode comes with invitations)."""

    def is_open_for_signup(self, request):
        return True
