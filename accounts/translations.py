"""Strings of the apps Popcorn uses (allauth) whose Chinese the site words itself.

Never imported: makemessages reads the msgids here, so they land in our catalogue,
and LOCALE_PATHS is searched before the apps' own catalogues, so our wording wins.
"""

from django.utils.translation import gettext_noop

# allauth's zh_Hans has "用户名或email" on the sign-in form.
gettext_noop("Username or email")

# allauth's zh_Hans keeps "passkey" in English on the sign-in page and the MFA pages.
gettext_noop("Sign in with a passkey")
gettext_noop("Passkeys")
gettext_noop("Add passkey")
