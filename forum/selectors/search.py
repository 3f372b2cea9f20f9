"""Search results: posts this viewer may read that match a query (forum.search parses it)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection

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


def search_posts_queryset(user, query: search.Query, filters: SearchFilters):
    """Posts this user may read that contain every term, best match first.

    PostgreSQL: the GIN index on to_tsvector('simple', search_text) finds the
    posts, ranked by ts_rank, newest first among equals. SQLite (the embedded
    default, no full-text index): every term with icontains on the same
    tokens, newest first. The other filters narrow what the word match found:
    slug, codename and username are unique, post author and date ride on
    post_author_recent and the created_at index.
    """
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
        posts = (
            posts.filter(search.PostTextMatch(query))
            .annotate(rank=search.PostTextRank(query))
            .order_by("-rank", "-created_at", "-id")
        )
    else:
        for term in query.terms:
            posts = posts.filter(search_text__icontains=term)
        posts = posts.order_by("-created_at", "-id")
    return posts.select_related("thread__board", "thread__device")


def search_posts(user, query: search.Query, filters: SearchFilters, *, page: int):
    """One page of search results, each post with `title_html` and `snippet` marked.

    A COUNT and one page query, whatever the number of results shown.
    """
    paginator = Paginator(
        search_posts_queryset(user, query, filters), settings.POPCORN["SEARCH_RESULTS_PER_PAGE"]
    )
    result_page = paginator.get_page(page)
    result_page.object_list = list(result_page.object_list)
    for post in result_page.object_list:
        post.title_html = search.highlight(post.thread.title, query)
        post.snippet = search.snippet(post.source, query)
    return result_page
