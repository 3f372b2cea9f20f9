"""The email that carries an invitation code's /join/ link to whom its creator chose.

The person invited has no account, so no language of their own: the email is in
the inviter's (who knows them), else the site's, and its link starts with SITE_URL.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.languages import language_for
from accounts.models import InvitationCode
from accounts.selectors.invitations import join_path
from config.site import site_url


def invitation_email_send(*, code_id: int) -> int:
    """Mail the code to its `sent_to` address; 0 if it can no longer admit anyone."""
    code = (
        InvitationCode.objects.usable()
        .filter(pk=code_id)
        .exclude(sent_to="")
        .select_related("creator")
        .first()
    )
    if code is None:
        return 0
    context = {
        "inviter_name": code.creator_name,
        "site_name": settings.POPCORN["SITE_NAME"],
        "join_url": site_url(join_path(code.code)),
        "code": code.code,
        "expires_at": timezone.localtime(code.expires_at),
    }
    language = language_for(code.creator)
    with translation.override(language):
        subject = render_to_string("accounts/invitations/email_subject.txt", context)
        body = render_to_string("accounts/invitations/email_body.txt", context)
    EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[code.sent_to],
        headers={"Content-Language": language},
    ).send()
    return 1
