"""Notifications: the list, opening one, marking read, the settings, one-click unsubscribe."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from accounts.forms import NotificationSettingsForm
from accounts.models import Notification, NotificationKind, User
from config.http import safe_next
from config.paging import page_number


@login_required
def notification_list(request):
    page = selectors.notification_page(request.user, page=page_number(request))
    return render(request, "accounts/notifications/list.html", {"page": page})


@login_required
def notification_open(request, pk):
    """Mark one notification read and go to what it is about.

    A GET, so it is a plain link that opens in a new tab too; marking read is
    idempotent and harmless if triggered by someone else.
    """
    notification = get_object_or_404(
        Notification.objects.only("pk", "target_url"), pk=pk, recipient=request.user
    )
    services.notification_mark_read(user=request.user, notification_id=notification.pk)
    return redirect(
        safe_next(request, reverse("accounts:notifications"), value=notification.target_url)
    )


@login_required
@require_POST
def notification_mark_all_read(request):
    services.notification_mark_all_read(user=request.user)
    return redirect("accounts:notifications")


@login_required
def notification_settings(request):
    form = NotificationSettingsForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_update(
            user=request.user,
            settings=form.deliveries(),
            auto_watch=form.cleaned_data["auto_watch"],
        )
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("accounts:notification_settings")
    return render(request, "accounts/notifications/settings.html", {"form": form})


# The token is the credential (signed, for one member and kind), so no login and
# no CSRF cookie: mail providers POST here directly (RFC 8058 one-click).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        user_id, kind = services.read_unsubscribe_token(token)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        user_id, kind = None, None
    recipient = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if recipient is None or kind not in NotificationKind.values:
        return render(request, "accounts/notifications/unsubscribe_invalid.html", status=400)
    context = {"recipient": recipient, "kind_label": NotificationKind(kind).label}
    if request.method == "POST":
        services.notification_unsubscribe(user=recipient, kind=kind)
        return render(request, "accounts/notifications/unsubscribe_done.html", context)
    return render(request, "accounts/notifications/unsubscribe.html", context)
