"""Taking part: likes, who liked, and quoting a post into the reply form."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from config.paging import page_number
from forum import permissions, selectors, services
from forum.forms import ReplyForm
from forum.models import Post

from .browse import _get_thread, _is_htmx


def _get_post(request, post_id: int) -> Post:
    """A post the viewer may read: 403 for a board they cannot see, else 404."""
    try:
        post = selectors.post_with_thread(post_id)
    except Post.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_board(request.user, post.thread.board):
        raise PermissionDenied
    if not permissions.can_view_post(request.user, post):
        raise Http404
    if post.is_hidden and not request.user.is_staff:
        raise Http404
    return post


def _denied(request, reason: str):
    return render(request, "forum/denied.html", {"reason": reason}, status=403)


def _floor_url(post: Post) -> str:
    page = selectors.floor_page(post.floor)
    return f"{post.thread.get_absolute_url()}?page={page}#floor-{post.floor}"


def _like_response(request, post: Post):
    if not _is_htmx(request):
        return redirect(_floor_url(post))
    post.refresh_from_db(fields=["like_count"])
    selectors.mark_liked_by(request.user, [post])
    return render(request, "forum/partials/like_button.html", {"post": post, "thread": post.thread})


@login_required
@require_POST
def post_like(request, post_id):
    post = _get_post(request, post_id)
    try:
        services.post_like(post=post, user=request.user)
    except PermissionDenied as exc:
        return _denied(request, str(exc))
    return _like_response(request, post)


@login_required
@require_POST
def post_unlike(request, post_id):
    post = _get_post(request, post_id)
    try:
        services.post_unlike(post=post, user=request.user)
    except PermissionDenied as exc:
        return _denied(request, str(exc))
    return _like_response(request, post)


def post_likers(request, post_id):
    post = _get_post(request, post_id)
    context = {"post": post, "page": selectors.post_likers_page(post, page=page_number(request))}
    if _is_htmx(request):
        return render(request, "forum/partials/likers.html", context)
    return render(request, "forum/likers.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reply_quote(request, pk, post_id):
    """The reply form with a quote of one post in it.

    GET is a page of its own (works without JS). htmx POSTs the draft already
    typed, so the quote is added to it rather than replacing it; nothing is
    written either way.
    """
    thread = _get_thread(request, pk)
    post = _get_post(request, post_id)
    if post.thread_id != thread.pk:
        raise Http404
    if post.is_hidden:
        raise Http404  # staff may see a hidden post, but nobody quotes it
    denied = permissions.reply_denied_reason(request.user, thread)
    if denied:
        return _denied(request, denied)
    draft = request.POST.get("body", "").rstrip() if request.method == "POST" else ""
    quote = services.quote_markdown(post)
    body = f"{draft}\n\n{quote}" if draft else quote
    context = {"thread": thread, "reply_form": ReplyForm(initial={"body": body}), "quoted": post}
    if _is_htmx(request):
        return render(request, "forum/partials/reply_form.html", context)
    return render(request, "forum/reply.html", context)
