"""The thread page's "N new replies" poll: tiny, and 204 while nothing changed."""

from django.http import HttpResponse
from django.shortcuts import render

from forum import selectors


def thread_new_replies(request, pk):
    try:
        after = max(0, int(request.GET.get("after", "")))
    except ValueError:
        return HttpResponse(status=400)
    last_floor = selectors.thread_last_floor(request.user, pk)
    if last_floor is None:
        # Gone or not readable (any more): stop polling, htmx keeps the page as it is.
        return HttpResponse(status=286)
    if last_floor <= after:
        return HttpResponse(status=204)
    return render(
        request,
        "forum/live/new_replies.html",
        {"thread_id": pk, "after": after, "new_count": last_floor - after},
    )
