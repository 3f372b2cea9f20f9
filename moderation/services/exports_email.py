"""The email that tells a staff member their large member export is ready.

Written by the export job, so there is no request: it is worded in the
requester's language and its link starts with settings.SITE_URL.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.selectors import language_for
from config.site import site_url
from moderation.models import UserExport


def export_ready_email_send(*, export_id: int) -> int:
    """Mail the requester a link to the finished export's page; 0 when there is none to send."""
    export = (
        # A streamed export was downloaded at once: nothing to announce.
        UserExport.objects.filter(pk=export_id, status=UserExport.Status.DONE, streamed=False)
        .select_related("requested_by")
        .first()
    )
    requester = export.requested_by if export else None
    if requester is None or not requester.email or not requester.is_active:
        return 0
    context = {
        "export": export,
        "recipient": requester,
        "export_url": site_url(reverse("moderation:console_export", args=[export.pk])),
        "keep_hours": settings.POPCORN["EXPORT_KEEP_HOURS"],
        "site_name": settings.POPCORN["SITE_NAME"],
    }
    language = language_for(requester)
    with translation.override(language):
        subject = render_to_string("moderation/exports/email_subject.txt", context)
        body = render_to_string("moderation/exports/email_body.txt", context)
    EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[requester.email],
        headers={"Content-Language": language},
    ).send()
    return 1
