"""The search page: /search/?q=…&board=…&device=…&type=…&author=…&after=…&before=…&page=N."""

from django.conf import settings
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Device
from config.paging import page_number
from forum import search, selectors
from forum.forms import SearchForm
from forum.models import Board


def search_page(request):
    # Not put in the page cache: the key space is whatever anyone types.
    boards = list(
        Board.objects.visible_to(request.user)
        .order_by("position", "id")
        .values_list("slug", "name")
    )
    devices = [(d.codename, str(d)) for d in Device.objects.all()]
    form = SearchForm(request.GET, boards=boards, devices=devices)
    context = {"form": form, "page": None, "notices": [], "filter_query": "", "help": None}
    if not form.is_valid():
        return render(request, "forum/search/search.html", context)

    data = form.cleaned_data
    max_length = settings.POPCORN["SEARCH_MAX_QUERY_LENGTH"]
    text = data["q"][:max_length]
    context["q"] = text
    if len(data["q"]) > max_length:
        context["notices"].append(
            ngettext(
                "Only the first %(count)d character was searched.",
                "Only the first %(count)d characters were searched.",
                max_length,
            )
            % {"count": max_length}
        )
    query = search.parse_query(text)
    if not query:
        if "q" in request.GET:
            context["notices"].append(
                _("Type a word to search for; punctuation and symbols are ignored.")
            )
        return render(request, "forum/search/search.html", context)
    if query.truncated:
        context["notices"].append(
            ngettext(
                "Only the first %(count)d word was searched.",
                "Only the first %(count)d words were searched.",
                len(query.terms),
            )
            % {"count": len(query.terms)}
        )

    filters = selectors.SearchFilters(
        board=data["board"],
        device=data["device"],
        thread_type=data["type"],
        author=data["author"],
        after=data["after"],
        before=data["before"],
    )
    context["page"] = page = selectors.search_posts(
        request.user, query, filters, page=page_number(request)
    )
    if page.total > page.ranked:
        context["notices"].append(
            ngettext(
                "%(total)d post matches; the newest %(shown)d are ranked and shown. "
                "More words or a filter narrow them down.",
                "%(total)d posts match; the newest %(shown)d are ranked and shown. "
                "More words or a filter narrow them down.",
                page.total,
            )
            % {"total": page.total, "shown": page.ranked}
        )
    kept = {
        "q": text,
        "board": filters.board,
        "device": filters.device,
        "type": filters.thread_type,
        "author": filters.author,
        "after": filters.after and filters.after.isoformat(),
        "before": filters.before and filters.before.isoformat(),
    }
    kept = {key: value for key, value in kept.items() if value}
    context["filter_query"] = urlencode(kept) + "&"
    if not page.total:
        context["help"] = _no_results_help(request.user, text, filters, kept, boards + devices)
    return render(request, "forum/search/search.html", context)


def _no_results_help(user, text, filters, kept, names) -> dict:
    """The empty result's suggestions, each as a link that keeps what it does not change."""
    # Board and device names (and codenames) are already loaded for the filter choices.
    known = search.vocabulary(name for pair in names for name in pair)
    found = selectors.search_no_results_help(user, text=text, filters=filters, known_words=known)

    def link(**changes) -> str:
        params = {**kept, **changes}
        return "?" + urlencode({key: value for key, value in params.items() if value})

    return {
        "filtered": filters != selectors.SearchFilters(),
        "without_filters": found.without_filters,
        "without_filters_url": "?" + urlencode({"q": text}),
        "did_you_mean": found.did_you_mean,
        "did_you_mean_url": link(q=found.did_you_mean),
        "fewer_words": [(word, link(q=word)) for word in found.fewer_words],
    }
