"""Cursor pagination for every API list (REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]).

Its own module: DRF loads it while defining its generic views, before config.api_views.
"""

from django.conf import settings
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError


class CursorPagination(pagination.CursorPagination):
    """Opaque cursors: stable when new rows arrive while the caller pages on.

    A view sets `ordering` (a unique tail, e.g. ("-last_posted_at", "-id")).
    ?page_size= up to POPCORN["API_MAX_PAGE_SIZE"].
    """

    ordering = ("-id",)
    page_size_query_param = "page_size"

    def get_page_size(self, request):
        self.page_size = settings.POPCORN["API_PAGE_SIZE"]
        self.max_page_size = settings.POPCORN["API_MAX_PAGE_SIZE"]
        return super().get_page_size(request)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:
            # A cursor that is not one of ours: bad input, not a missing page.
            errors = {self.cursor_query_param: [self.invalid_cursor_message]}
            raise ValidationError(errors) from None
