"""Drafts (草稿): the posting forms saved as they are typed, their preview, and my drafts.

The new-thread form and the reply form include forum/drafts/_controls.html: htmx saves
the form a moment after the last key (and on "Save draft"), the preview swaps into the
form. Without JavaScript the same buttons are plain submits: saving redirects back to the
form, which is filled in from the draft; the preview answers the form page again with the
text as sent and the preview under it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.http import errors_text, is_htmx, refusal_toast, safe_next
from forum import permissions, selectors, services
from forum.forms import ReplyDraftForm, ReplyForm, ThreadDraftForm, ThreadForm
from forum.models import Board, Draft, Thread

from ._common import get_thread, posting_form_kwargs


def thread_form_initial(draft: Draft | None) -> dict:
    """The new-thread form's fields from a draft (none: the form's own defaults)."""
    if draft is None:
        return {}
    initial = {"title": draft.title, "body": draft.body, "firmware_version": draft.firmware_version}
    if draft.thread_type:
        initial["thread_type"] = draft.thread_type
    if draft.device_id:
        initial["device"] = draft.device
    return initial


def reply_form_for(user, thread: Thread) -> ReplyForm:
    """The thread page's reply form, filled in from the member's draft (one query)."""
    draft = selectors.draft_for(user, thread=thread)
    form = ReplyForm(
        initial={"body": draft.body} if draft else {},
        **posting_form_kwargs(user, thread.board_id),
    )
    form.draft = draft
    return form


def reply_back_url(thread: Thread) -> str:
    return f"{thread.get_absolute_url()}?page={thread.page_count}#reply-form"


def _board(request, slug: str) -> Board:
    board = get_object_or_404(Board, slug=slug)
    permissions.check_can_view_board(request.user, board)
    return board


def _target(request, slug, pk) -> dict:
    if slug is not None:
        return {"board": _board(request, slug)}
    return {"thread": get_thread(request, pk, selectors.threads_for_viewer(request.user))}


def _back(target: dict) -> str:
    if "board" in target:
        return reverse("forum:thread_create", kwargs={"slug": target["board"].slug})
    return reply_back_url(target["thread"])


def _form_page(request, target: dict, *, status: int = 200, **extra):
    """The posting form again with what was sent (no JavaScript): for a preview or an error."""
    data = request.POST.dict()
    context = dict(extra)
    if "board" in target:
        board = target["board"]
        form = ThreadForm(initial=data, board=board, **posting_form_kwargs(request.user, board))
        form.draft = selectors.draft_for(request.user, board=board)
        denied = permissions.start_thread_denied_reason(request.user, board)
        context |= {"board": board, "form": form, "denied": denied}
        return render(request, "forum/threads/form.html", context, status=status)
    thread = target["thread"]
    form = ReplyForm(
        initial={"body": data.get("body", "")},
        **posting_form_kwargs(request.user, thread.board_id),
    )
    form.draft = selectors.draft_for(request.user, thread=thread)
    context |= {"thread": thread, "reply_form": form}
    return render(request, "forum/posting/reply.html", context, status=status)


def _refused(request, target: dict, reason: str, *, status: int):
    if is_htmx(request):
        return refusal_toast(request, reason, status=status)
    return _form_page(request, target, status=status, draft_error=reason)


@login_required
@require_POST
def draft_save(request, slug=None, pk=None):
    target = _target(request, slug, pk)
    form = (ThreadDraftForm if "board" in target else ReplyDraftForm)(request.POST)
    if not form.is_valid():
        return _refused(request, target, errors_text(form.errors), status=400)
    try:
        draft = services.draft_save(user=request.user, **target, **form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, target, errors_text(exc), status=400)
    except PermissionDenied as exc:
        return _refused(request, target, str(exc), status=403)
    if is_htmx(request):
        return render(request, "forum/drafts/_status.html", {"draft": draft})
    messages.success(request, _("Draft saved.") if draft else _("Nothing to save: it is empty."))
    return redirect(_back(target))


@login_required
@require_POST
def draft_discard(request, slug=None, pk=None):
    """Always allowed: a member's drafts are theirs to throw away, sanctioned or not."""
    target = _target(request, slug, pk)
    services.draft_discard(user=request.user, **target)
    back = safe_next(request, _back(target))
    if is_htmx(request):
        response = render(request, "forum/drafts/_status.html", {"draft": None})
        response["HX-Redirect"] = back  # the form again, empty
        return response
    messages.success(request, _("Draft discarded."))
    return redirect(back)


@login_required
@require_POST
def draft_preview(request, slug=None, pk=None):
    """The body as it would be stored (forum.services.drafts.draft_preview); writes nothing."""
    target = _target(request, slug, pk)
    try:
        html = services.draft_preview(body=request.POST.get("body", ""))
    except ValidationError as exc:
        return _refused(request, target, errors_text(exc), status=400)
    if is_htmx(request):
        return render(request, "forum/drafts/_preview.html", {"html": html})
    return _form_page(request, target, draft_preview=html)


@login_required
def draft_list(request):
    rows, after = selectors.draft_page(request.user, after=request.GET.get("after"))
    return render(request, "forum/drafts/list.html", {"rows": rows, "after": after})
