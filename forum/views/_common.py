"""What several forum views share: loading a thread the viewer may see, and refusals."""

from django.db.models import QuerySet
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from forum import selectors
from forum.models import Post, Thread

AWAITING = gettext_lazy(
    "Thanks! Your post is awaiting a moderator's approval; until then only you can see it."
)


def get_thread(request, pk: int, threads: QuerySet[Thread] | None = None) -> Thread:
    """A thread the viewer may see: 403 for a board they cannot see, else 404."""
    return selectors.thread_for_viewer(request.user, pk, threads)


def get_post(request, post_id: int) -> Post:
    """A post the viewer may read: 403 for a board they cannot see, else 404."""
    return selectors.post_for_viewer(request.user, post_id)


def to_new_home(thread: Thread):
    # Not permanent: a thread may move again, and the chain is followed hop by hop.
    return redirect("forum:thread_short", pk=thread.moved_to_id)


def denied(request, reason: str):
    return render(request, "forum/denied.html", {"reason": reason}, status=403)
