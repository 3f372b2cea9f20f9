"""Thread pages, floor and post addresses, and starting a thread."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from accounts import selectors as account_selectors
from config.http import client_ip
from config.paging import page_number
from forum import caching, permissions, selectors, services
from forum.forms import PollForm, ThreadForm, VoteForm
from forum.models import Board, BugStatus, FeedbackStatus, Post, ThreadType

from ._common import (
    AWAITING,
    drop_removed_uploads,
    get_thread,
    keep_uploads,
    posting_form_kwargs,
    to_new_home,
)
from .drafts import reply_form_for, thread_form_initial
from .meetups import meetup_context
from .polls import poll_context


def thread_detail(request, pk, slug=None):
    # The cache first: an anonymous hit asks the database nothing, its view counted in Redis.
    response = caching.cached_anonymous_page(
        request, [caching.thread_scope(pk)], lambda: _thread_page(request, pk, slug)
    )
    if response.status_code == 200:
        services.thread_record_view(thread_id=pk)
    return response


def _thread_page(request, pk, slug):
    thread = get_thread(request, pk, selectors.threads_for_viewer(request.user), own_hidden=True)
    if thread.moved_to_id:
        return to_new_home(thread)
    if slug != thread.slug:
        return redirect(thread.get_absolute_url(), permanent=True)
    page = selectors.thread_post_page(thread, page=page_number(request), viewer=request.user)
    reply_denied = permissions.reply_denied_reason(request.user, thread)
    moderating = permissions.can_moderate(request.user, thread.board)
    last_page = page.number == page.page_count
    response = render(
        request,
        "forum/threads/detail.html",
        {
            "thread": thread,
            "page": page,
            "pending_posts": selectors.thread_pending_posts(thread, viewer=request.user)
            if last_page
            else [],
            "reply_form": (reply_form_for(request.user, thread) if reply_denied is None else None),
            "reply_denied": reply_denied,
            "can_moderate": moderating,
            "move_boards": selectors.boards_moderated_by(request.user) if moderating else [],
            "bug_statuses": BugStatus.choices,
            # Posts of members I blocked fold away (anonymous pages, cached, have none).
            "blocked_ids": account_selectors.blocked_ids(request.user),
            **(meetup_context(request, thread) if thread.thread_type == ThreadType.EVENT else {}),
            **poll_context(request, thread),
            "feedback_statuses": FeedbackStatus.choices,
            "vote_form": VoteForm(initial={"device": thread.device}),
            "fixed_bugs": selectors.release_fixed_bugs(thread),
        },
    )
    # After the page is rendered, in its own statement (no transaction), and only when it
    # moves forward: the thread's query brought how far this member had read, so reading a
    # page again writes nothing (the upsert keeps the higher floor against a race).
    read_floor = getattr(thread, "viewer_read_floor", None) or 0
    if request.user.is_authenticated and page.last_floor > read_floor:
        services.thread_mark_read(user=request.user, thread=thread, floor=page.last_floor)
    return response


def floor_redirect(request, pk, floor):
    thread = get_thread(request, pk, own_hidden=True)
    if thread.moved_to_id:
        return to_new_home(thread)  # merged: its floors were renumbered in the target
    page = selectors.floor_page(floor)
    return redirect(f"{thread.get_absolute_url()}?page={page}#floor-{floor}")


def post_permalink(request, pk):
    """A post's lasting address: merges and splits renumber floors, ids stay."""
    post = get_object_or_404(Post.objects.only("pk", "thread_id", "floor"), pk=pk)
    if post.floor is None:
        return _to_unplaced_post(request, post)
    return floor_redirect(request, post.thread_id, post.floor)


def _to_unplaced_post(request, post):
    """A reply awaiting approval (or rejected) is listed after the thread's last page."""
    post = get_object_or_404(Post.objects.select_related("thread__board", "author"), pk=post.pk)
    thread = get_thread(request, post.thread_id, own_hidden=True)
    if thread.moved_to_id:
        return to_new_home(thread)
    if not permissions.can_view_post(request.user, post):
        raise Http404
    if permissions.can_view_own_hidden(request.user, post):
        # A rejected reply is listed nowhere: its author reads it, and why, on its own page.
        post.thread = thread
        return render(request, "forum/posts/hidden.html", {"post": post, "thread": thread})
    return redirect(f"{thread.get_absolute_url()}?page={thread.page_count}#post-{post.pk}")


def thread_short(request, pk):
    thread = get_thread(request, pk, own_hidden=True)
    if thread.moved_to_id:
        return to_new_home(thread)
    return redirect(thread.get_absolute_url(), permanent=True)


@login_required
def thread_create(request, slug):
    board = get_object_or_404(Board, slug=slug)
    permissions.check_can_view_board(request.user, board)
    if board.default_thread_type == ThreadType.EVENT:
        return redirect("forum:meetup_create", slug=board.slug)  # a meetups board
    denied = permissions.start_thread_denied_reason(request.user, board)
    # A GET is filled in from the member's draft; a POST is what was typed.
    draft = (
        selectors.draft_for(request.user, board=board)
        if request.method == "GET" and not denied
        else None
    )
    form = ThreadForm(
        request.POST or None,
        request.FILES or None,
        board=board,
        initial=thread_form_initial(draft),
        **posting_form_kwargs(request.user, board),
    )
    # The optional poll's fields, prefixed "poll-": a blank question means no poll.
    poll_form = PollForm(request.POST or None, prefix="poll", optional=True)
    form.draft = draft
    status = 200
    valid = request.method == "POST" and form.is_valid() & poll_form.is_valid()
    if valid and not denied:
        try:
            thread = (
                services.thread_create_with_poll(
                    board=board,
                    author=request.user,
                    poll=poll_form.spec,
                    ip=client_ip(request),
                    **form.cleaned_data,
                )
                if poll_form.spec
                else services.thread_create(
                    board=board, author=request.user, ip=client_ip(request), **form.cleaned_data
                )
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            denied, status = str(exc), 403
        else:
            drop_removed_uploads(request, form)
            if thread.is_pending:
                messages.info(request, AWAITING)
            return redirect(thread)
    if denied:
        status = 403
    elif request.method == "POST":
        keep_uploads(request, form, board)
    return render(
        request,
        "forum/threads/form.html",
        {"board": board, "form": form, "poll_form": poll_form, "denied": denied},
        status=status,
    )
