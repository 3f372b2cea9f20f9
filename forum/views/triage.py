"""Bug and feedback triage pages: "me too" / votes, the firmware team's triage pages,
and the similar threads suggested while a new thread's title is typed."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Device
from config.http import errors_text, is_htmx, refuse
from forum import permissions, selectors, services
from forum.forms import TriageFilterForm, VoteForm

from ._common import get_thread


def _vote_response(request, thread, status: int = 200):
    if not is_htmx(request):
        return redirect(thread.get_absolute_url())
    thread = get_thread(request, thread.pk, selectors.threads_for_viewer(request.user))
    return render(
        request,
        "forum/triage/_vote.html",
        {"thread": thread, "vote_form": VoteForm(initial={"device": thread.device})},
        status=status,
    )


@login_required
@require_POST
def thread_vote(request, pk):
    thread = get_thread(request, pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return refuse(request, errors_text(form.errors), back=thread.get_absolute_url())
    try:
        services.thread_vote(thread=thread, user=request.user, **form.cleaned_data)
    except (PermissionDenied, ValidationError) as exc:
        text = errors_text(exc) if isinstance(exc, ValidationError) else str(exc)
        return refuse(request, text, back=thread.get_absolute_url())
    return _vote_response(request, thread)


@login_required
@require_POST
def thread_unvote(request, pk):
    thread = get_thread(request, pk)
    try:
        services.thread_unvote(thread=thread, user=request.user)
    except PermissionDenied as exc:
        return refuse(request, str(exc), back=thread.get_absolute_url())
    return _vote_response(request, thread)


def triage_index(request):
    permissions.check_can_view_triage(request.user)
    return render(
        request, "forum/triage/index.html", {"devices": selectors.triage_devices(request.user)}
    )


def triage_device(request, codename):
    permissions.check_can_view_triage(request.user)
    device = get_object_or_404(Device, codename=codename)
    form = TriageFilterForm(request.GET or None)
    version = form.cleaned_data["firmware_version"] if form.is_valid() else ""
    return render(
        request,
        "forum/triage/device.html",
        {
            "device": device,
            "form": form,
            "selected_version": version,
            "versions": selectors.triage_versions(request.user, device),
            "bugs": selectors.triage_bugs(request.user, device, firmware_version=version),
        },
    )


def similar_threads(request):
    """The htmx fragment under a new thread's title: existing threads like it."""
    title = request.GET.get("title", "")[:200]
    threads = selectors.similar_threads(request.user, title) if len(title.strip()) >= 2 else []
    return render(request, "forum/triage/_similar.html", {"threads": threads})
