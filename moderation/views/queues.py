"""What the queues share: the header's badge with their counts."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from moderation import selectors
from moderation.permissions import check_can_see_queues


@login_required
@require_GET
def queue_badge(request):
    """The header's queue counts, loaded by htmx after the page: pages pay nothing for it."""
    check_can_see_queues(request.user)
    return render(
        request,
        "moderation/queues/badge.html",
        {"counts": selectors.queue_counts(request.user)},
    )
