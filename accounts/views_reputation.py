"""Reputation, check-in and the member list: the member-facing side of accounts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.paging import page_number

from . import selectors
from .checkin import check_in
from .levels import all_levels, next_level
from .models import User


@require_POST
@login_required
def check_in_view(request):
    result = check_in(user=request.user)
    if not result.checked_in:
        messages.info(request, _("You have already checked in today."))
    else:
        messages.success(
            request,
            _("Checked in: +%(points)s reputation, %(streak)s day(s) in a row.")
            % {"points": result.points, "streak": result.streak},
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    return redirect(target)


def _can_see_ledger(viewer, member) -> bool:
    # A ledger names the threads that earned points, some of them in boards
    # only members can read, so it is for its owner and the staff.
    return viewer.is_authenticated and (
        viewer.pk == member.pk or viewer.is_staff or viewer.is_global_moderator
    )


def ledger(request, username):
    member = get_object_or_404(User, username=username)
    if not _can_see_ledger(request.user, member):
        raise PermissionDenied(_("Only the member and the staff can see this ledger."))
    coming = next_level(member.reputation)
    return render(
        request,
        "accounts/ledger.html",
        {
            "member": member,
            "page": selectors.ledger_page(member, page=page_number(request)),
            "next_level": coming,
        },
    )


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
        "accounts/members.html",
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
