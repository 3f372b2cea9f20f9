"""A thread's poll: its block on the thread page, voting, taking a vote back, the voters
of a public poll, and adding or changing a poll (its author, before any vote).

Every form posts and redirects back to the thread (no script needed); with htmx the
answer is the poll's block, swapped in place. The block's shared part comes from
selectors.poll_snapshot (see there why it is cached apart from the thread page).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from config.http import errors_text, is_htmx, refusal_toast, refuse
from forum import permissions, selectors, services
from forum.forms import PollForm
from forum.models import Poll, Thread

from ._common import denied, get_thread


def poll_context(request, thread: Thread, *, errors: str = "") -> dict:
    """What the poll block shows this viewer: the shared snapshot (no query when cached)
    and the personal part (my choices: one query when signed in)."""
    if not thread.has_poll:
        return {}
    poll = selectors.poll_snapshot(thread.pk)
    if poll is None:
        return {}
    user = request.user
    mine = selectors.my_choices(poll.id, user)
    now = timezone.now()
    closed = poll.is_closed(now)
    vote_denied = permissions.poll_vote_denied_reason(user, thread, poll, now=now)
    return {
        "poll": poll,
        "poll_mine": mine,
        "poll_closed": closed,
        "poll_results": permissions.results_visible(poll, voted=bool(mine), now=now),
        "poll_vote_denied": vote_denied,
        "poll_can_close": permissions.can_close_poll(user, thread, poll),
        "poll_can_edit": (
            user.is_authenticated
            and thread.author_id == user.pk
            and poll.voter_count == 0
            and not closed
        ),
        "poll_errors": errors,
    }


def _poll_thread(request, pk: int) -> tuple[Thread, Poll]:
    thread = get_thread(request, pk)
    poll = Poll.objects.filter(thread=thread).first()
    if poll is None:
        raise Http404
    return thread, poll


def _block(request, thread: Thread, *, errors: str = "", status: int = 200):
    # poll_fresh: this copy is current, so it does not ask for itself again (htmx).
    context = {"thread": thread, "poll_fresh": True, **poll_context(request, thread, errors=errors)}
    if not context.get("poll"):
        raise Http404
    template = "forum/polls/_poll.html" if is_htmx(request) else "forum/polls/poll.html"
    return render(request, template, context, status=status)


def poll_block(request, pk):
    """The poll alone: swapped into the (possibly cached) thread page by htmx, or a page
    of its own with the current results and the vote form."""
    return _block(request, get_thread(request, pk))


def _back(thread: Thread) -> str:
    return f"{thread.get_absolute_url()}#poll"


@require_POST
@login_required
def poll_vote(request, pk):
    thread, poll = _poll_thread(request, pk)
    try:
        services.poll_vote(
            poll=poll, thread=thread, user=request.user, option_ids=request.POST.getlist("option")
        )
    except PermissionDenied as exc:
        return refuse(request, str(exc), back=_back(thread))
    except ValidationError as exc:
        if is_htmx(request):  # htmx swaps no 400 by itself: the reason goes to the toast
            return refusal_toast(request, errors_text(exc), status=400)
        return _block(request, thread, errors=errors_text(exc), status=400)
    if is_htmx(request):
        return _block(request, thread)
    return redirect(_back(thread))


@require_POST
@login_required
def poll_unvote(request, pk):
    thread, poll = _poll_thread(request, pk)
    try:
        services.poll_unvote(poll=poll, thread=thread, user=request.user)
    except PermissionDenied as exc:
        return refuse(request, str(exc), back=_back(thread))
    if is_htmx(request):
        return _block(request, thread)
    return redirect(_back(thread))


def _after(request) -> int | None:
    try:
        return max(0, int(request.GET.get("after", "")))
    except ValueError:
        return None


def poll_voters(request, pk, option_id):
    """Who chose this option, for public polls whose results the viewer may see; paged
    by vote id. Anonymous polls have no such page."""
    thread = get_thread(request, pk)
    context = poll_context(request, thread)
    poll = context.get("poll")
    option = next((o for o in poll.options if o.id == option_id), None) if poll else None
    if option is None or not poll.is_public or not context["poll_results"]:
        raise Http404
    rows, next_after = selectors.option_voters(option.id, after=_after(request))
    template = "forum/polls/_voters.html" if is_htmx(request) else "forum/polls/voters.html"
    return render(
        request,
        template,
        {
            "thread": thread,
            "poll": poll,
            "option": option,
            "voters": rows,
            "next_after": next_after,
        },
    )


@login_required
def poll_edit(request, pk):
    """Add a poll to my thread, or change it while nobody has voted."""
    thread = get_thread(request, pk)
    reason = permissions.poll_author_denied_reason(request.user, thread)
    if reason:
        return denied(request, reason)
    poll = Poll.objects.filter(thread=thread).prefetch_related("options").first()
    initial = PollForm.initial_from(poll) if poll else None
    form = PollForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                if poll is None:
                    services.poll_create(thread=thread, actor=request.user, spec=form.spec)
                else:
                    services.poll_edit(poll=poll, thread=thread, actor=request.user, spec=form.spec)
            except ValidationError as exc:
                form.add_error(None, exc)
            except PermissionDenied as exc:
                return denied(request, str(exc))
            else:
                return redirect(_back(thread))
    return render(
        request,
        "forum/polls/edit.html",
        {"thread": thread, "form": form, "poll": poll},
        status=status,
    )
