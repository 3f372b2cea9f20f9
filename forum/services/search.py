"""Keeping posts' search_text (forum.search's document) filled in."""

from django.db import transaction

from forum.models import Post
from forum.search import search_document


@transaction.atomic
def post_search_text_rebuild(*, after_pk: int = 0, batch_size: int = 1000) -> int:
    """Recompute search_text for the next batch of posts after after_pk.

    Returns the last pk done, or 0 when there are no posts left. One SELECT and
    one set-based UPDATE (bulk_update's CASE on pk) per batch; updated_at is
    left alone since the content did not change. Safe to re-run at any time.
    """
    rows = list(
        Post.objects.filter(pk__gt=after_pk)
        .order_by("pk")
        .values_list("pk", "floor", "source", "thread__title")[:batch_size]
    )
    if not rows:
        return 0
    Post.objects.bulk_update(
        [
            Post(pk=pk, search_text=search_document(title if floor == 1 else "", source))
            for pk, floor, source, title in rows
        ],
        ["search_text"],
    )
    return rows[-1][0]
