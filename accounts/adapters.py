from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context
from django.conf import settings
from django.contrib.sites.requests import RequestSite
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.languages import supported_language
from accounts.services import address_ban_reason, email_ban_reason
from config.http import client_ip, is_safe_path
from config.site import site_domain, site_url


class _ConfiguredSite(RequestSite):
    """The site as SITE_URL names it, for allauth's emails (never the request's host)."""

    def __init__(self):
        self.domain = site_domain()
        self.name = settings.POPCORN["SITE_NAME"]


class AccountAdapter(DefaultAccountAdapter):
    """Hook for registration rules, the new member's language and allauth's emails.

    Sign-up stays open in every registration mode: invitation-only is enforced
    by the sign-up form's required code (accounts.forms.invitations), so invited
    people can still join.
    """

    def is_open_for_signup(self, request):
        return True

    def is_safe_url(self, url):
        # The rule of every other `next` on the site (config.http): same-site paths only.
        return is_safe_path(context.request, url)

    def clean_email(self, email):
        """Sign-up refuses banned email domains (and their subdomains) and banned
        address ranges, as an error on the form's email field."""
        email = super().clean_email(email)
        reason = email_ban_reason(email)
        if reason is not None:
            raise ValidationError(
                _("Sign-ups with this email domain are not accepted: %(reason)s")
                % {"reason": reason}
            )
        request = context.request
        reason = address_ban_reason(client_ip(request)) if request is not None else None
        if reason is not None:
            raise ValidationError(
                _("Sign-ups from your network are not accepted: %(reason)s") % {"reason": reason}
            )
        return email

    def get_client_ip(self, request):
        # One rule for every count by address (config.http.client_ip); allauth's own
        # refuses a short X-Forwarded-For with ImproperlyConfigured, a 500.
        ip = client_ip(request)
        if ip is None:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def save_user(self, request, user, form, commit=True):
        # What the browser asked for (or the switch chose) becomes their setting.
        if not user.language:
            user.language = supported_language(getattr(request, "LANGUAGE_CODE", ""))
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix, email, context):
        """allauth's emails (verification, password reset, …) in the recipient's language,
        with every link on SITE_URL."""
        context = {
            **context,
            "current_site": _ConfiguredSite(),
            # Links allauth built from the request's host, rebased onto SITE_URL.
            **{
                key: site_url(value)
                for key, value in context.items()
                if key.endswith("_url") and isinstance(value, str)
            },
        }
        with translation.override(self._recipient_language(email, context.get("user"))):
            return super().send_mail(template_prefix, email, context)

    def _recipient_language(self, email, user) -> str:
        if user is None:
            address = EmailAddress.objects.filter(email__iexact=email).select_related("user")
            found = address.first()
            user = found.user if found else None
        # Their setting; else (no account, or never chosen) the page's language.
        chosen = supported_language(user.language) if user is not None else ""
        return chosen or translation.get_language() or settings.LANGUAGE_CODE
