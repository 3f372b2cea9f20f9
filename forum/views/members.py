"""A member's public profile."""

from django.shortcuts import get_object_or_404, render

from accounts import selectors as account_selectors
from accounts.levels import level_progress
from accounts.models import User
from forum import selectors


def member_profile(request, username):
    member = get_object_or_404(User.objects.prefetch_related("devices"), username=username)
    return render(
        request,
        "forum/members/profile.html",
        {
            "member": member,
            "recent_threads": selectors.user_recent_threads(member, viewer=request.user),
            "medals": account_selectors.medals_of(member),
            **level_progress(member.reputation),
            "is_blocked": member.pk in account_selectors.blocked_ids(request.user),
        },
    )
