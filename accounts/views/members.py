"""The member list: sorted, filtered by level and name, paged by keyset."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts import selectors
from accounts.levels import all_levels


def member_list(request):
    sort = request.GET.get("sort", "reputation")
    if sort not in selectors.MEMBER_SORTS:
        sort = "reputation"
    level = request.GET.get("level", "")
    query = request.GET.get("q", "")
    page = selectors.member_page(
        sort=sort, level=level, query=query, after=request.GET.get("after", "")
    )
    return render(
        request,
        "accounts/members/list.html",
        {
            "page": page,
            "sort": sort,
            "level": level,
            "query": query,
            "levels": all_levels(),
            "sorts": [
                ("reputation", _("Reputation")),
                ("posts", _("Posts")),
                ("joined", _("Newest")),
            ],
        },
    )
