"""Keeping posts' search_text (forum.search's document) filled in."""

from django.db import models, transaction

from forum.models import Post
from forum.search import search_document


@transaction.atomic
def post_search_text_rebuild(
    *, after_pk: int = 0, batch_size: int = 1000, model: type[models.Model] = Post
) -> int:
    """Recompute search_text for the next batch of posts after after_pk.

    Returns the last pk looked at, or 0 when there are no posts left. One
    SELECT and at most one set-based UPDATE (bulk_update's CASE on pk) per
    batch, holding only the rows whose text changed, so a re-run after a
    small tokenizer change rewrites (and re-indexes) only what it must;
    updated_at is left alone since the content did not change. Safe to re-run
    at any time. `model` is the historical Post when a migration calls this.
    """
    rows = list(
        model.objects.filter(pk__gt=after_pk)
        .order_by("pk")
        .values_list("pk", "floor", "source", "thread__title", "search_text")[:batch_size]
    )
    if not rows:
        return 0
    changed = []
    for pk, floor, source, title, old in rows:
        new = search_document(title if floor == 1 else "", source)
        if new != old:
            changed.append(model(pk=pk, search_text=new))
    if changed:
        model.objects.bulk_update(changed, ["search_text"])
    return rows[-1][0]
