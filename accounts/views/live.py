"""The header's live counts poll: the bell's and messages' unread counts, already on the
signed-in member's row, so a poll costs only the session and user queries."""

from django.http import HttpResponse
from django.shortcuts import render


def header_counts(request):
    user = request.user
    if not user.is_authenticated:
        return HttpResponse(status=286)  # htmx: stop polling
    shown = (request.GET.get("n", ""), request.GET.get("m", ""))
    if shown == (str(user.unread_notifications), str(user.unread_conversations)):
        return HttpResponse(status=204)
    return render(request, "accounts/live/header_counts.html")
