"""Replying, and quoting a post into the reply form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from config.http import client_ip, is_htmx
from forum import permissions, selectors, services
from forum.forms import ReplyForm

from ._common import (
    AWAITING,
    denied,
    drop_removed_uploads,
    get_post,
    get_thread,
    keep_uploads,
    posting_form_kwargs,
)


@login_required
@require_POST
def reply_create(request, pk):
    thread = get_thread(request, pk, selectors.threads_for_viewer(request.user))
    form_kwargs = posting_form_kwargs(request.user, thread.board_id)
    form = ReplyForm(request.POST, request.FILES, **form_kwargs)
    error_status = 200
    if form.is_valid():
        try:
            post = services.post_reply(
                thread=thread, author=request.user, ip=client_ip(request), **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            error_status = 403
        else:
            drop_removed_uploads(request, form)
            if is_htmx(request):
                return render(
                    request,
                    "forum/posting/_reply_created.html",
                    {"post": post, "thread": thread, "reply_form": ReplyForm(**form_kwargs)},
                )
            if post.is_pending:
                messages.info(request, AWAITING)
                return redirect(post.get_permalink())
            return redirect(reverse("forum:floor", kwargs={"pk": thread.pk, "floor": post.floor}))
    if error_status == 200:
        keep_uploads(request, form, thread.board)
    if is_htmx(request):
        response = render(
            request,
            "forum/posting/_reply_form.html",
            {"thread": thread, "reply_form": form},
        )
        response["HX-Retarget"] = "#reply-form"
        response["HX-Reswap"] = "outerHTML"
        return response
    page = selectors.thread_post_page(thread, page=thread.page_count)
    return render(
        request,
        "forum/threads/detail.html",
        {"thread": thread, "page": page, "reply_form": form},
        status=error_status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def reply_quote(request, pk, post_id):
    """The reply form with a quote of one post in it.

    GET is a page of its own (works without JS). htmx POSTs the draft already
    typed, so the quote is added to it rather than replacing it; nothing is
    written either way.
    """
    thread = get_thread(request, pk)
    post = get_post(request, post_id)
    if post.thread_id != thread.pk:
        raise Http404
    if post.is_hidden:
        raise Http404  # staff may see a hidden post, but nobody quotes it
    refusal = permissions.reply_denied_reason(request.user, thread)
    if refusal:
        return denied(request, refusal)
    draft = request.POST.get("body", "").rstrip() if request.method == "POST" else ""
    quote = services.quote_markdown(post)
    body = f"{draft}\n\n{quote}" if draft else quote
    form = ReplyForm(initial={"body": body}, **posting_form_kwargs(request.user, thread.board_id))
    if request.method == "POST" and not form.attachments_denied:
        # The draft's pending uploads stay with it (the member's own: the selector checks).
        form.pending = selectors.pending_uploads(
            uploader=request.user, ids=form.carried_uploads(request.POST)
        )
    context = {"thread": thread, "reply_form": form, "quoted": post}
    if is_htmx(request):
        return render(request, "forum/posting/_reply_form.html", context)
    return render(request, "forum/posting/reply.html", context)
