"""What several forum views share: loading a thread the viewer may see, and refusals."""

from django.db.models import QuerySet
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy

from config.http import refusal_page
from forum import permissions, selectors, services
from forum.models import Board, Post, Thread

AWAITING = gettext_lazy(
    "Thanks! Your post is awaiting a moderator's approval; until then only you can see it."
)


def get_thread(
    request, pk: int, threads: QuerySet[Thread] | None = None, *, own_hidden: bool = False
) -> Thread:
    """A thread the viewer may see: 403 for a board they cannot see, else 404 (own_hidden:
    see selectors.thread_for_viewer)."""
    return selectors.thread_for_viewer(request.user, pk, threads, own_hidden=own_hidden)


def get_post(request, post_id: int) -> Post:
    """A post the viewer may read: 403 for a board they cannot see, else 404."""
    return selectors.post_for_viewer(request.user, post_id)


def to_new_home(thread: Thread):
    # Not permanent: a thread may move again, and the chain is followed hop by hop.
    return redirect("forum:thread_short", pk=thread.moved_to_id)


def denied(request, reason: str):
    return refusal_page(request, reason)


def posting_form_kwargs(user, board: Board | int) -> dict:
    """What every posting form is built with: the attachment rule for this member here."""
    return {"attachments_denied": permissions.attachments_denied_reason(user, board)}


def keep_uploads(request, form, board: Board) -> None:
    """A posting form sent back with an error: its files that passed their checks wait
    as pending uploads and show on it again ("Chosen: …"), since a browser cannot fill
    a file input in again."""
    if form.attachments_denied:
        return
    data = getattr(form, "cleaned_data", {})
    form.pending = services.pending_uploads_keep(
        uploader=request.user,
        board=board,
        files=data.get("attachments") or (),
        keep=data.get("pending_uploads") or (),
        remove=form.removed_uploads,
    )


def drop_removed_uploads(request, form) -> None:
    """After a post went out: the pending uploads its author ticked to remove are deleted."""
    if form.removed_uploads:
        services.pending_uploads_discard(uploader=request.user, ids=form.removed_uploads)
