"""Reading a page number from the query string, the same way on every list page."""


def page_number(request, name: str = "page") -> int:
    """The requested page, 1 for anything missing, malformed or below 1."""
    try:
        return max(1, int(request.GET.get(name, 1)))
    except (TypeError, ValueError):
        return 1
