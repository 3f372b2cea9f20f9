"""Editing posts and reading their earlier versions."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from forum import permissions, selectors, services
from forum.forms import PostEditForm
from forum.models import Post
from forum.rendering import render_markdown


def _get_post(request, post_id) -> Post:
    post = get_object_or_404(Post.objects.select_related("thread__board"), pk=post_id)
    if not permissions.can_view_board(request.user, post.thread.board):
        raise PermissionDenied
    if not permissions.can_view_thread(request.user, post.thread):
        raise Http404
    return post


@login_required
def post_edit(request, post_id):
    post = _get_post(request, post_id)
    denied = permissions.edit_denied_reason(request.user, post)
    form = PostEditForm(
        request.POST or None,
        initial={"title": post.thread.title, "body": post.source},
        with_title=post.floor == 1,
    )
    if request.method == "POST" and not denied and form.is_valid():
        try:
            services.post_edit(
                post=post,
                editor=request.user,
                body=form.cleaned_data["body"],
                title=form.cleaned_data.get("title"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            denied = str(exc)
        else:
            return redirect(post)
    return render(
        request,
        "forum/editing/edit.html",
        {"post": post, "thread": post.thread, "form": form, "denied": denied},
        status=403 if denied else 200,
    )


@login_required
def post_revisions(request, post_id):
    post = _get_post(request, post_id)
    if not permissions.can_view_revisions(request.user, post):
        raise PermissionDenied
    # Old text is rendered now, by today's sanitizer, never stored as HTML.
    revisions = [
        (revision, render_markdown(revision.old_source))
        for revision in selectors.post_revisions(post)
    ]
    return render(
        request,
        "forum/editing/revisions.html",
        {"post": post, "thread": post.thread, "revisions": revisions},
    )
