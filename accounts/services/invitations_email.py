"""The email that carries an invitation code's /join/ link to whom its creator chose."""

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import InvitationCode
from accounts.selectors.invitations import join_path


def invitation_email_send(*, code_id: int) -> int:
    """Mail the code to its `sent_to` address; 0 if it can no longer admit anyone."""
    code = InvitationCode.objects.usable().filter(pk=code_id).exclude(sent_to="").first()
    if code is None:
        return 0
    domain = Site.objects.get_current().domain
    context = {
        "inviter_name": code.creator_name,
        "site_name": settings.POPCORN["SITE_NAME"],
        "join_url": f"{settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL}://{domain}{join_path(code.code)}",
        "code": code.code,
        "expires_at": timezone.localtime(code.expires_at),
    }
    subject = render_to_string("accounts/invitations/email_subject.txt", context)
    EmailMessage(
        subject=" ".join(subject.split()),
        body=render_to_string("accounts/invitations/email_body.txt", context),
        to=[code.sent_to],
    ).send()
    return 1
