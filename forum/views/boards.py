"""The front page and board pages (cached whole for anonymous visitors)."""

from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode

from accounts.models import Device
from config.paging import page_number
from forum import caching, permissions, selectors
from forum.models import ThreadType


def _filter_query(**filters) -> str:
    """The active filters as a query-string prefix for pagination links."""
    kept = {k: v for k, v in filters.items() if v}
    return urlencode(kept) + "&" if kept else ""


def index(request):
    def render_page():
        return render(
            request,
            "forum/boards/index.html",
            {
                "sections": selectors.sections_with_boards(request.user),
                "latest_threads": selectors.latest_threads(request.user),
                "announcements": selectors.announcements(request.user),
            },
        )

    return caching.cached_anonymous_page(request, [caching.INDEX], render_page)


def _viewable_board(request, slug):
    board = get_object_or_404(selectors.boards_for_viewer(request.user), slug=slug)
    permissions.check_can_view_board(request.user, board)
    return board


def board_detail(request, slug):
    # The cache first: an anonymous visitor's page is found by the board's id, itself
    # cached by slug, before the database is asked for the board or who may see it.
    board = None
    board_id = caching.board_id_for_slug(slug) if not request.user.is_authenticated else None
    if board_id is None:
        board = _viewable_board(request, slug)
        board_id = board.pk
        if not request.user.is_authenticated:
            caching.remember_board_slug(slug, board_id)
    thread_type = request.GET.get("type", "")
    if thread_type not in ThreadType.values:
        thread_type = ""
    device = request.GET.get("device", "")
    status = request.GET.get("status", "")
    if status not in selectors.STATUS_FILTERS:
        status = ""
    sort = request.GET.get("sort", "")
    if sort not in selectors.BOARD_SORTS:
        sort = ""
    firmware_version = request.GET.get("firmware_version", "").strip()[:40]

    def render_page():
        nonlocal board
        if board is None:
            board = _viewable_board(request, slug)
        moderating = permissions.can_moderate(request.user, board)
        page = selectors.board_thread_page(
            board,
            page=page_number(request),
            thread_type=thread_type,
            device=device,
            firmware_version=firmware_version,
            status=status,
            sort=sort or "activity",
            viewer=request.user,
            with_hidden=moderating,
        )
        return render(
            request,
            "forum/boards/detail.html",
            {
                "board": board,
                "page": page,
                "thread_types": ThreadType.choices,
                "devices": Device.objects.all(),
                "selected_type": thread_type,
                "selected_device": device,
                "status_choices": selectors.status_filter_choices(),
                "selected_status": status,
                "selected_sort": sort,
                "selected_firmware": firmware_version,
                "filter_query": _filter_query(
                    type=thread_type,
                    device=device,
                    firmware_version=firmware_version,
                    status=status,
                    sort=sort,
                ),
                "can_start_thread": permissions.can_start_thread(request.user, board),
                "announcements": selectors.announcements(request.user),
                "moderators": selectors.board_moderators(board),
                "can_moderate": moderating,
                "move_boards": selectors.boards_moderated_by(request.user) if moderating else [],
            },
        )

    scopes = [caching.board_scope(board_id), caching.ANNOUNCEMENTS]
    return caching.cached_anonymous_page(request, scopes, render_page)
