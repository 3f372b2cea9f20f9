"""Read state: jump to the first unread post, mark a whole board read."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from forum import selectors, services
from forum.models import Board

from ._common import get_thread


def thread_unread(request, pk):
    thread = get_thread(request, pk)
    floor = selectors.first_unread_floor(request.user, thread)
    return redirect(reverse("forum:floor", kwargs={"pk": thread.pk, "floor": floor}))


@login_required
@require_POST
def board_mark_read(request, slug):
    board = get_object_or_404(Board, slug=slug)
    services.board_mark_read(user=request.user, board=board)
    return redirect(board)
