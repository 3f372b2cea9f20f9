"""A member's reputation ledger: for the member and the staff."""

from django.shortcuts import get_object_or_404, render

from accounts import selectors
from accounts.levels import next_level
from accounts.models import User
from accounts.permissions import check_can_see_ledger
from config.paging import page_number


def ledger(request, username):
    member = get_object_or_404(User, username=username)
    check_can_see_ledger(request.user, member)
    coming = next_level(member.reputation)
    return render(
        request,
        "accounts/reputation/ledger.html",
        {
            "member": member,
            "page": selectors.ledger_page(member, page=page_number(request)),
            "next_level": coming,
        },
    )
