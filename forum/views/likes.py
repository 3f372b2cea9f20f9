"""Liking and unliking posts, and who liked one."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from config.http import is_htmx, refuse
from config.paging import page_number
from forum import selectors, services
from forum.models import Post

from ._common import get_post


def _floor_url(post: Post) -> str:
    if post.floor is None:  # awaiting approval: no floor yet
        return post.get_permalink()
    page = selectors.floor_page(post.floor)
    return f"{post.thread.get_absolute_url()}?page={page}#floor-{post.floor}"


def _like_response(request, post: Post):
    if not is_htmx(request):
        return redirect(_floor_url(post))
    post.refresh_from_db(fields=["like_count"])
    selectors.mark_liked_by(request.user, [post])
    return render(request, "forum/likes/_like_button.html", {"post": post, "thread": post.thread})


@login_required
@require_POST
def post_like(request, post_id):
    post = get_post(request, post_id)
    try:
        services.post_like(post=post, user=request.user)
    except PermissionDenied as exc:  # e.g. suspended: said in place, or back on the floor
        return refuse(request, str(exc), back=_floor_url(post))
    return _like_response(request, post)


@login_required
@require_POST
def post_unlike(request, post_id):
    post = get_post(request, post_id)
    try:
        services.post_unlike(post=post, user=request.user)
    except PermissionDenied as exc:  # e.g. suspended: said in place, or back on the floor
        return refuse(request, str(exc), back=_floor_url(post))
    return _like_response(request, post)


def post_likers(request, post_id):
    post = get_post(request, post_id)
    context = {"post": post, "page": selectors.post_likers_page(post, page=page_number(request))}
    if is_htmx(request):
        return render(request, "forum/likes/_likers.html", context)
    return render(request, "forum/likes/likers.html", context)
