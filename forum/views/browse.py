from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.levels import level_progress
from accounts.models import Device, User
from config.paging import page_number
from forum import caching, permissions, selectors, services
from forum.forms import ReplyForm, ThreadForm
from forum.models import Board, BugStatus, Post, Thread, ThreadType

_AWAITING = gettext_lazy(
    "Thanks! Your post is awaiting a moderator's approval; until then only you can see it."
)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _filter_query(**filters) -> str:
    """The active filters as a query-string prefix for pagination links."""
    kept = {k: v for k, v in filters.items() if v}
    return urlencode(kept) + "&" if kept else ""


def index(request):
    def render_page():
        return render(
            request,
            "forum/index.html",
            {
                "sections": selectors.sections_with_boards(request.user),
                "latest_threads": selectors.latest_threads(request.user),
                "announcements": selectors.announcements(request.user),
            },
        )

    return caching.cached_anonymous_page(request, [caching.INDEX], render_page)


def board_detail(request, slug):
    board = get_object_or_404(selectors.boards_for_viewer(request.user), slug=slug)
    permissions.check_can_view_board(request.user, board)
    thread_type = request.GET.get("type", "")
    if thread_type not in ThreadType.values:
        thread_type = ""
    device = request.GET.get("device", "")

    def render_page():
        moderating = permissions.can_moderate(request.user, board)
        page = selectors.board_thread_page(
            board,
            page=page_number(request),
            thread_type=thread_type,
            device=device,
            viewer=request.user,
            with_hidden=moderating,
        )
        return render(
            request,
            "forum/board.html",
            {
                "board": board,
                "page": page,
                "thread_types": ThreadType.choices,
                "devices": Device.objects.all(),
                "selected_type": thread_type,
                "selected_device": device,
                "filter_query": _filter_query(type=thread_type, device=device),
                "can_start_thread": permissions.can_start_thread(request.user, board),
                "announcements": selectors.announcements(request.user),
                "moderators": selectors.board_moderators(board),
                "can_moderate": moderating,
                "move_boards": selectors.boards_moderated_by(request.user) if moderating else [],
            },
        )

    scopes = [caching.board_scope(board.pk), caching.ANNOUNCEMENTS]
    return caching.cached_anonymous_page(request, scopes, render_page)


def _get_thread(request, pk, threads=None) -> Thread:
    if threads is None:
        threads = Thread.objects.select_related("board", "device")
    thread = get_object_or_404(threads, pk=pk)
    if not permissions.can_view_board(request.user, thread.board):
        raise PermissionDenied
    # A "Moved" notice always leads on (callers redirect); the target checks its own visibility.
    if not thread.moved_to_id and not permissions.can_view_thread(request.user, thread):
        raise Http404
    return thread


def _to_new_home(thread: Thread):
    # Not permanent: a thread may move again, and the chain is followed hop by hop.
    return redirect("forum:thread_short", pk=thread.moved_to_id)


def thread_detail(request, pk, slug=None):
    thread = _get_thread(request, pk, selectors.threads_for_viewer(request.user))
    if thread.moved_to_id:
        return _to_new_home(thread)
    if slug != thread.slug:
        return redirect(thread.get_absolute_url(), permanent=True)
    services.thread_record_view(thread_id=thread.pk)

    def render_page():
        page = selectors.thread_post_page(thread, page=page_number(request), viewer=request.user)
        if request.user.is_authenticated:
            services.thread_mark_read(user=request.user, thread=thread, floor=page.last_floor)
        reply_denied = permissions.reply_denied_reason(request.user, thread)
        moderating = permissions.can_moderate(request.user, thread.board)
        last_page = page.number == page.page_count
        return render(
            request,
            "forum/thread.html",
            {
                "thread": thread,
                "page": page,
                "pending_posts": selectors.thread_pending_posts(thread, viewer=request.user)
                if last_page
                else [],
                "reply_form": ReplyForm() if reply_denied is None else None,
                "reply_denied": reply_denied,
                "can_moderate": moderating,
                "move_boards": selectors.boards_moderated_by(request.user) if moderating else [],
                "bug_statuses": BugStatus.choices,
            },
        )

    return caching.cached_anonymous_page(request, [caching.thread_scope(thread.pk)], render_page)


def floor_redirect(request, pk, floor):
    thread = _get_thread(request, pk)
    if thread.moved_to_id:
        return _to_new_home(thread)  # merged: its floors were renumbered in the target
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
    post = get_object_or_404(Post.objects.select_related("thread__board"), pk=post.pk)
    thread = _get_thread(request, post.thread_id)
    if thread.moved_to_id:
        return _to_new_home(thread)
    if not permissions.can_view_post(request.user, post):
        raise Http404
    return redirect(f"{thread.get_absolute_url()}?page={thread.page_count}#post-{post.pk}")


def thread_short(request, pk):
    thread = _get_thread(request, pk)
    if thread.moved_to_id:
        return _to_new_home(thread)
    return redirect(thread.get_absolute_url(), permanent=True)


@login_required
def thread_create(request, slug):
    board = get_object_or_404(Board, slug=slug)
    permissions.check_can_view_board(request.user, board)
    denied = permissions.start_thread_denied_reason(request.user, board)
    form = ThreadForm(request.POST or None, request.FILES or None, initial={"device": board.device})
    status = 200
    if request.method == "POST" and form.is_valid() and not denied:
        try:
            thread = services.thread_create(board=board, author=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            denied, status = str(exc), 403
        else:
            if thread.is_pending:
                messages.info(request, _AWAITING)
            return redirect(thread)
    if denied:
        status = 403
    return render(
        request,
        "forum/thread_form.html",
        {"board": board, "form": form, "denied": denied},
        status=status,
    )


@login_required
@require_POST
def reply_create(request, pk):
    thread = _get_thread(request, pk, selectors.threads_for_viewer(request.user))
    form = ReplyForm(request.POST, request.FILES)
    error_status = 200
    if form.is_valid():
        try:
            post = services.post_reply(thread=thread, author=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            error_status = 403
        else:
            if _is_htmx(request):
                return render(
                    request,
                    "forum/partials/reply_created.html",
                    {"post": post, "thread": thread, "reply_form": ReplyForm()},
                )
            if post.is_pending:
                messages.info(request, _AWAITING)
                return redirect(post.get_permalink())
            return redirect(reverse("forum:floor", kwargs={"pk": thread.pk, "floor": post.floor}))
    if _is_htmx(request):
        response = render(
            request,
            "forum/partials/reply_form.html",
            {"thread": thread, "reply_form": form},
        )
        response["HX-Retarget"] = "#reply-form"
        response["HX-Reswap"] = "outerHTML"
        return response
    page = selectors.thread_post_page(thread, page=thread.page_count)
    return render(
        request,
        "forum/thread.html",
        {"thread": thread, "page": page, "reply_form": form},
        status=error_status,
    )


def member_profile(request, username):
    member = get_object_or_404(User.objects.prefetch_related("devices"), username=username)
    return render(
        request,
        "forum/member.html",
        {
            "member": member,
            "recent_threads": selectors.user_recent_threads(member, viewer=request.user),
            **level_progress(member.reputation),
        },
    )
