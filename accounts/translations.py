"""Strings of the apps Popcorn uses (allauth) whose Chinese the site words itself.

Never imported: makemessages reads the msgids here, so they land in our catalogue,
and LOCALE_PATHS is searched before the apps' own catalogues, so our wording wins.
"""

from django.utils.translation import gettext_noop

# allauth's zh_Hans has "用户名或email" on the sign-in form.
gettext_noop("Username or email")
