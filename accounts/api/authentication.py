"""The API's token authentication, with the member rules the pages' middleware applies."""

from accounts.permissions import note_second_factor
from config.api_auth import SessionTokenAuthentication


class MemberSessionTokenAuthentication(SessionTokenAuthentication):
    """X-Session-Token, noting (as SecondFactorMiddleware does for pages) whether the
    token's session passed a second factor: moderators' powers need one."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is not None:
            note_second_factor(found[0], found[1])
        return found
