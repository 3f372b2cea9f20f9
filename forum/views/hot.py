"""The hot and top thread lists, site-wide and per board (cached briefly for anonymous)."""

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from config.paging import page_number
from forum import caching, permissions, selectors
from forum.services.hot import HOT_SCOPE

PERIOD_LABELS = (
    ("", _("Hot")),
    ("day", _("Top today")),
    ("week", _("Top this week")),
    ("month", _("Top this month")),
)


def hot_threads(request, slug=None):
    board = None
    if slug is not None:
        board = get_object_or_404(selectors.boards_for_viewer(request.user), slug=slug)
        permissions.check_can_view_board(request.user, board)
    period = request.GET.get("period", "")
    if period not in selectors.HOT_PERIODS:
        period = ""
    number = page_number(request)

    def render_page():
        threads, has_next = selectors.hot_threads_page(
            request.user, board=board, period=period, page=number
        )
        return render(
            request,
            "forum/hot/list.html",
            {
                "board": board,
                "threads": threads,
                "period": period,
                "periods": PERIOD_LABELS,
                "number": number,
                "first_rank": (number - 1) * settings.POPCORN["HOT"]["PER_PAGE"] + 1,
                "has_next": has_next,
                "query": f"period={period}&" if period else "",
            },
        )

    scopes = [HOT_SCOPE, caching.INDEX]
    if board is not None:
        scopes.append(caching.board_scope(board.pk))
    return caching.cached_anonymous_page(
        request, scopes, render_page, timeout=settings.POPCORN["HOT"]["CACHE_SECONDS"]
    )
