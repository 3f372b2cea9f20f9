"""The approval queue: what new members posted in moderated boards, held for a moderator."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.http import client_ip, message_refusal, safe_next
from config.paging import page_number
from forum.models import Post
from forum.permissions import check_can_moderate
from moderation import selectors, services
from moderation.forms.actions import ReasonForm
from moderation.permissions import check_can_see_queues

# The approval queue -----------------------------------------------------------


@login_required
@require_GET
def approval_queue(request):
    reach = check_can_see_queues(request.user)
    page = selectors.approval_queue_page(reach, page=page_number(request))
    return render(
        request,
        "moderation/approvals/queue.html",
        {
            "page": page,
            "counts": selectors.queue_counts(request.user, approvals=page.paginator.count),
        },
    )


APPROVAL_ACTIONS = {"approve", "reject"}


@login_required
@require_POST
def approval_action(request, post_id, action):
    if action not in APPROVAL_ACTIONS:
        raise Http404
    post = get_object_or_404(Post.objects.select_related("thread__board"), pk=post_id)
    check_can_moderate(request.user, post.thread.board)
    back = safe_next(request, reverse("moderation:approvals"))
    form = ReasonForm(request.POST)
    if not form.is_valid():
        message_refusal(request, form.errors)
        return redirect(back)
    try:
        if action == "approve":
            services.pending_approve(post=post, actor=request.user, ip=client_ip(request))
            messages.success(request, _("Approved: it is public now."))
        else:
            services.pending_reject(
                post=post,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
            messages.success(request, _("Rejected; the author was told why."))
    except ValidationError as exc:
        message_refusal(request, exc)
    return redirect(back)
