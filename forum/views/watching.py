"""Watch and unwatch buttons: swapped in place by htmx, or a plain POST that
redirects back to the page it came from."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from config.http import is_htmx, refuse, safe_next
from forum import permissions, services
from forum.models import Board

from ._common import get_thread


def _button(request, *, watching: bool, url_name: str, kwargs: dict, fallback: str):
    next_url = safe_next(request, fallback)
    if not is_htmx(request):
        return redirect(next_url)
    return render(
        request,
        "forum/watching/_button.html",
        {
            "watching": watching,
            "watch_url": reverse(f"forum:{url_name}_watch", kwargs=kwargs),
            "unwatch_url": reverse(f"forum:{url_name}_unwatch", kwargs=kwargs),
            "next_url": next_url,
        },
    )


def _thread_button(request, pk, *, watch: bool):
    thread = get_thread(request, pk)
    try:
        if watch:
            services.thread_watch(user=request.user, thread=thread)
        else:
            services.thread_unwatch(user=request.user, thread=thread)
    except PermissionDenied as exc:  # e.g. suspended: said in place, or back on the page
        return refuse(request, str(exc), back=safe_next(request, thread.get_absolute_url()))
    return _button(
        request,
        watching=watch,
        url_name="thread",
        kwargs={"pk": thread.pk},
        fallback=thread.get_absolute_url(),
    )


def _board_button(request, slug, *, watch: bool):
    board = get_object_or_404(Board, slug=slug)
    permissions.check_can_view_board(request.user, board)
    try:
        if watch:
            services.board_watch(user=request.user, board=board)
        else:
            services.board_unwatch(user=request.user, board=board)
    except PermissionDenied as exc:
        return refuse(request, str(exc), back=safe_next(request, board.get_absolute_url()))
    return _button(
        request,
        watching=watch,
        url_name="board",
        kwargs={"slug": board.slug},
        fallback=board.get_absolute_url(),
    )


@login_required
@require_POST
def thread_watch(request, pk):
    return _thread_button(request, pk, watch=True)


@login_required
@require_POST
def thread_unwatch(request, pk):
    return _thread_button(request, pk, watch=False)


@login_required
@require_POST
def board_watch(request, slug):
    return _board_button(request, slug, watch=True)


@login_required
@require_POST
def board_unwatch(request, slug):
    return _board_button(request, slug, watch=False)
