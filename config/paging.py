"""Reading a page number from the query string, the same way on every list page."""


def page_number(request, name: str = "page") -> int:
    """The requested page, 1 for anything missing, malformed or below 1."""
    try:
        return max(1, int(request.GET.get(name, 1)))
    except (TypeError, ValueError):
        return 1


def keyset_page(queryset, *, ordering: tuple[str, ...], after: str | None, size: int):
    """One page of a list paged by key, for pages (the API's cursors, config.api_pagination):
    rows after the one `after` names, in `ordering` (non-null fields ending in a unique
    one). Returns (rows, token of the next page or None); a bad token starts from the top.
    One query, the same cost on page 1 and page 500.
    """
    from config.api_pagination import _beyond, _decode, _encode, _from_json

    rows = queryset.order_by(*ordering)
    if after:
        try:
            values = _decode(after)["p"]
            position = tuple(
                _from_json(queryset.model, name.lstrip("-"), value)
                for name, value in zip(ordering, values, strict=True)
            )
            if any(value is None for value in position):
                raise ValueError(after)
        except Exception:  # noqa: BLE001 - a forged or stale token: the first page
            position = None
        if position is not None:
            rows = rows.filter(_beyond(ordering, position, False))
    rows = list(rows[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    token = None
    if more and rows:
        token = _encode({"p": [getattr(rows[-1], name.lstrip("-")) for name in ordering]})
    return rows, token
