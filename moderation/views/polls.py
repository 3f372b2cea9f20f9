"""Closing a thread's poll: its author, or a board moderator (audited by the service)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.http import client_ip, refuse
from forum import selectors as forum_selectors
from forum.models import Poll
from moderation import services


@login_required
@require_POST
def poll_close(request, pk):
    thread = forum_selectors.thread_for_viewer(request.user, pk)
    poll = Poll.objects.filter(thread=thread).first()
    if poll is None:
        raise Http404
    back = f"{thread.get_absolute_url()}#poll"
    try:
        closed = services.poll_close(
            poll=poll,
            thread=thread,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            ip=client_ip(request),
        )
    except PermissionDenied as exc:
        return refuse(request, str(exc), back=back)
    if closed:
        messages.success(request, _("The poll is closed."))
    return redirect(back)
