"""Search results: posts this viewer may read that match a query (forum.search parses it)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, Case, ExpressionWrapper, Q, Value, When

from config.days import day_start
from forum import search
from forum.models import Board, Post


@dataclass(frozen=True)
class SearchFilters:
    board: str = ""  # slug
    device: str = ""  # codename
    thread_type: str = ""
    author: str = ""  # username
    after: date | None = None  # inclusive, in the site's time zone
    before: date | None = None  # inclusive


def _matching(user, query: search.Query, filters: SearchFilters):
    posts = Post.objects.visible().filter(
        thread__is_hidden=False,
        thread__board__in=Board.objects.visible_to(user).values("pk"),
    )
    if filters.board:
        posts = posts.filter(thread__board__slug=filters.board)
    if filters.device:
        posts = posts.filter(thread__device__codename=filters.device)
    if filters.thread_type:
        posts = posts.filter(thread__thread_type=filters.thread_type)
    if filters.author:
        posts = posts.filter(author__username=filters.author)
    if filters.after:
        posts = posts.filter(created_at__gte=day_start(filters.after))
    if filters.before:
        posts = posts.filter(created_at__lt=day_start(filters.before + timedelta(days=1)))

    if connection.vendor == "postgresql":
        return posts.filter(search.PostTextMatch(query.tsquery()))
    for term in query.terms:
        posts = posts.filter(search_text__icontains=term)
    return posts


# Ranking reads each candidate's text (to_tsvector and ts_rank on PostgreSQL,
# a LIKE per bigram on SQLite), so only the newest matches are ranked and
# shown: for a word in 65,000 of 100,000 posts the first page took 7-12 s
# ranked whole and 0.5-1 s ranked in this window (PostgreSQL, a busy 2-core box).
SEARCH_RANK_WINDOW = 1000


def search_posts_queryset(user, query: search.Query, filters: SearchFilters):
    """The newest SEARCH_RANK_WINDOW posts this user may read that contain every term, best first.

    Best first: posts holding each long CJK phrase of the query in a row
    (更新后耗电很快 as written, not just its characters), then the most
    matched terms and phrase bigrams, then the newest. PostgreSQL: the GIN
    index on to_tsvector('simple', search_text) finds the posts, ts_rank
    scores them. SQLite (the embedded default, no full-text index): every
    term with icontains on the same tokens, a count of the bigrams held as the
    score. The other filters narrow what the word match found: slug, codename
    and username are unique, post author and date ride on post_author_recent
    and the created_at index.
    """
    newest = _matching(user, query, filters).order_by("-created_at", "-id")
    posts = Post.objects.filter(pk__in=newest.values("pk")[:SEARCH_RANK_WINDOW])
    order = ["-created_at", "-id"]
    if connection.vendor == "postgresql":
        posts = posts.annotate(rank=search.PostTextRank(query.rank_tsquery()))
        order.insert(0, "-rank")
        if query.ranked_phrases:
            posts = posts.annotate(in_a_row=search.PostTextMatch(query.phrase_tsquery()))
            order.insert(0, "-in_a_row")
    else:
        if query.phrase_bigrams:
            posts = posts.annotate(
                rank=sum(
                    (
                        Case(When(search_text__icontains=pair, then=1), default=0)
                        for pair in query.phrase_bigrams
                    ),
                    start=Value(0),
                )
            )
            order.insert(0, "-rank")
        if query.ranked_phrases:
            in_a_row = Q()
            for document in query.phrase_documents():
                in_a_row &= Q(search_text__icontains=document)
            posts = posts.annotate(
                in_a_row=ExpressionWrapper(in_a_row, output_field=BooleanField())
            )
            order.insert(0, "-in_a_row")
    return posts.order_by(*order).select_related("thread__board", "thread__device")


def search_count(user, query: search.Query, filters: SearchFilters) -> int:
    """How many posts a search would find: one COUNT, no ranking."""
    return _matching(user, query, filters).count()


@dataclass(frozen=True)
class NoResultsHelp:
    """What a search that found nothing can suggest trying instead."""

    # Posts the words find with no filters, when filters were set (else 0).
    without_filters: int = 0
    # The query with a misspelt board or device word put right, or in the other
    # region's words (韌體 <-> 固件), when that finds posts.
    did_you_mean: str = ""
    # The query's words, to search one at a time, when there are several.
    fewer_words: tuple[str, ...] = ()


def search_no_results_help(
    user, *, text: str, filters: SearchFilters, known_words: frozenset[str]
) -> NoResultsHelp:
    """Suggestions for an empty result, each COUNT only when it can help.

    One COUNT without the filters when filters were set; one per did-you-mean
    candidate until one finds posts: the query with a board or device word put
    right, then in the other region's words (韌體 <-> 固件); at most three.
    """
    without_filters = 0
    if filters != SearchFilters():
        without_filters = search_count(user, search.parse_query(text), SearchFilters())
    candidates = [search.did_you_mean(text, known_words), *search.regional_spellings(text)]
    corrected = ""
    for candidate in filter(None, candidates):
        if search_count(user, search.parse_query(candidate), filters):
            corrected = candidate
            break
    words = tuple(dict.fromkeys(text.split()))
    return NoResultsHelp(
        without_filters=without_filters,
        did_you_mean=corrected,
        fewer_words=words[:5] if len(words) > 1 else (),
    )


def search_posts(user, query: search.Query, filters: SearchFilters, *, page: int):
    """One page of search results, each post with `title_html` and `snippet` marked.

    A COUNT and one page query, whatever the number of results shown. The
    page's `total` is every match, `ranked` how many of them the pages hold.
    """
    total = search_count(user, query, filters)
    paginator = Paginator(
        search_posts_queryset(user, query, filters), settings.POPCORN["SEARCH_RESULTS_PER_PAGE"]
    )
    paginator.count = min(total, SEARCH_RANK_WINDOW)  # known already: no second COUNT
    result_page = paginator.get_page(page)
    result_page.total, result_page.ranked = total, paginator.count
    result_page.object_list = list(result_page.object_list)
    for post in result_page.object_list:
        post.title_html = search.highlight(post.thread.title, query)
        post.snippet = search.snippet(post.source, query)
    return result_page
