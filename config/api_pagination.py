"""Pagination of every API list: keyset cursors (REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]).

A list's view names its `ordering`, a tuple of non-null fields ending in a unique one,
e.g. ("-is_pinned", "-last_posted_at", "-id"). A cursor holds the values of the row it
stops at, so the next page starts right after that row: no OFFSET (fast on page 500),
and nothing is skipped or repeated when new rows arrive meanwhile. DRF's own
CursorPagination keys on the first field only, which a pinned-first listing defeats.

RankedPagination is for search results, whose order is a score, not columns: its
cursor is a position in the ranked list, which is bounded (forum.selectors.search).

Its own module: DRF loads it while defining its generic views, before config.api_views.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

CURSOR = "cursor"
PAGE_SIZE = "page_size"
INVALID_CURSOR = _("This cursor is not one of ours: start again from the first page.")


def _page_size(request) -> int:
    size = settings.POPCORN["API_PAGE_SIZE"]
    most = settings.POPCORN["API_MAX_PAGE_SIZE"]
    raw = request.query_params.get(PAGE_SIZE)
    if raw is None:
        return size
    try:
        asked = int(raw)
    except ValueError:
        raise ValidationError({PAGE_SIZE: [_("A whole number, please.")]}) from None
    if not 1 <= asked <= most:
        raise ValidationError({PAGE_SIZE: [_("Between 1 and %(most)d, please.") % {"most": most}]})
    return asked


def _encode(payload: dict) -> str:
    raw = json.dumps(payload, separators=(",", ":"), default=_json_value).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(text: str) -> dict:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ValidationError({CURSOR: [INVALID_CURSOR]}) from None
    if not isinstance(payload, dict):
        raise ValidationError({CURSOR: [INVALID_CURSOR]})
    return payload


def _json_value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(type(value))


def _page_schema(schema: dict) -> dict:
    link = {"type": "string", "format": "uri", "nullable": True}
    return {
        "type": "object",
        "required": ["next", "previous", "results"],
        "properties": {"next": link, "previous": link, "results": schema},
    }


def _parameters() -> list[dict]:
    return [
        {
            "name": CURSOR,
            "required": False,
            "in": "query",
            "description": "From a previous page's `next` or `previous` link.",
            "schema": {"type": "string"},
        },
        {
            "name": PAGE_SIZE,
            "required": False,
            "in": "query",
            "description": "Rows per page (default and most: POPCORN API_PAGE_SIZE, "
            "API_MAX_PAGE_SIZE).",
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": settings.POPCORN["API_MAX_PAGE_SIZE"],
            },
        },
    ]


@dataclass(frozen=True)
class _Cursor:
    position: tuple
    backwards: bool


class CursorPagination(BasePagination):
    """Keyset pages over the view's `ordering`; see the module's docstring."""

    ordering: tuple[str, ...] = ("-id",)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = _page_size(request)
        ordering = tuple(getattr(view, "ordering", None) or self.ordering)
        self.fields = ordering
        cursor = self._read_cursor(request, queryset.model, ordering)
        backwards = cursor is not None and cursor.backwards
        order = [_flip(f) if backwards else f for f in ordering]
        rows = queryset.order_by(*order)
        if cursor is not None:
            rows = rows.filter(_beyond(ordering, cursor.position, backwards))
        rows = list(rows[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if backwards:
            rows.reverse()
        self.has_next = more if not backwards else True
        self.has_previous = (cursor is not None) if not backwards else more
        self.rows = rows
        return rows

    def _read_cursor(self, request, model, ordering) -> _Cursor | None:
        text = request.query_params.get(CURSOR)
        if not text:
            return None
        payload = _decode(text)
        values = payload.get("p")
        if not isinstance(values, list) or len(values) != len(ordering):
            raise ValidationError({CURSOR: [INVALID_CURSOR]})
        try:
            position = tuple(
                _from_json(model, name.lstrip("-"), value)
                for name, value in zip(ordering, values, strict=True)
            )
        except Exception:  # noqa: BLE001 - whatever a forged value makes to_python raise
            raise ValidationError({CURSOR: [INVALID_CURSOR]}) from None
        if any(value is None for value in position):
            raise ValidationError({CURSOR: [INVALID_CURSOR]})
        return _Cursor(position=position, backwards=bool(payload.get("b")))

    def _link(self, row, *, backwards: bool) -> str:
        position = [getattr(row, name.lstrip("-")) for name in self.fields]
        payload = {"p": position, "b": 1} if backwards else {"p": position}
        url = self.request.build_absolute_uri()
        return replace_query_param(url, CURSOR, _encode(payload))

    def get_next_link(self):
        if not self.has_next or not self.rows:
            return None
        return self._link(self.rows[-1], backwards=False)

    def get_previous_link(self):
        if not self.has_previous:
            return None
        if not self.rows:
            return remove_query_param(self.request.build_absolute_uri(), CURSOR)
        return self._link(self.rows[0], backwards=True)

    def get_paginated_response(self, data):
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_paginated_response_schema(self, schema):
        return _page_schema(schema)

    def get_schema_operation_parameters(self, view):
        return _parameters()


def _from_json(model, name: str, value):
    """A cursor's value as its column takes it; an annotation (a count, a coalesced
    date) has no model field and is compared as sent."""
    if name == "pk":
        return model._meta.pk.to_python(value)
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        if isinstance(value, dict | list):
            raise ValueError(name) from None
        return value
    return field.to_python(value)


def _flip(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"


def _beyond(ordering: tuple[str, ...], position: tuple, backwards: bool) -> Q:
    """Rows after `position` in `ordering` (before it when going backwards), as one Q."""
    condition = Q()
    equal_so_far = Q()
    for field, value in zip(ordering, position, strict=True):
        name = field.lstrip("-")
        descending = field.startswith("-") != backwards
        condition |= equal_so_far & Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
        equal_so_far &= Q(**{name: value})
    return condition


class RankedPagination(BasePagination):
    """Pages of a ranked list (search): the cursor is a position in the ranking."""

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = _page_size(request)
        text = request.query_params.get(CURSOR)
        start = 0
        if text:
            start = _decode(text).get("o")
            if not isinstance(start, int) or isinstance(start, bool) or start < 0:
                raise ValidationError({CURSOR: [INVALID_CURSOR]})
        rows = list(queryset[start : start + self.page_size + 1])
        self.start, self.more = start, len(rows) > self.page_size
        self.rows = rows[: self.page_size]
        return self.rows

    def _link(self, offset: int) -> str:
        url = self.request.build_absolute_uri()
        if offset <= 0:
            return remove_query_param(url, CURSOR)
        return replace_query_param(url, CURSOR, _encode({"o": offset}))

    def get_paginated_response(self, data):
        next_link = self._link(self.start + self.page_size) if self.more else None
        previous = self._link(self.start - self.page_size) if self.start else None
        return Response({"next": next_link, "previous": previous, "results": data})

    def get_paginated_response_schema(self, schema):
        return _page_schema(schema)

    def get_schema_operation_parameters(self, view):
        return _parameters()
