"""What the moderation and staff operations share: signed-in base views and validation.

Every operation here is for a role (moderators, staff), so an anonymous call is a 401
(IsAuthenticated) and a signed-in member without the role a 403 with the page's reason
(moderation.permissions / forum.permissions, asked by each view before it reads the body,
as the pages do).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from rest_framework import permissions, serializers

from config.api_views import ApiListView, ApiView
from forum.models import Board

TAG = "moderation"
STAFF_TAG = "staff"


class SignedInView(ApiView):
    permission_classes = [permissions.IsAuthenticated]


class SignedInListView(ApiListView):
    permission_classes = [permissions.IsAuthenticated]


def valid(serializer_class, data, **kwargs) -> dict:
    """The serializer's validated data, or a 400 with its field messages."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def form_valid(form: forms.Form) -> dict:
    """The page's form's cleaned data (its rules, its messages), or a 400 with them."""
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.cleaned_data


def body(request) -> dict:
    """The request's body as a mapping (a JSON array or scalar is no body of ours)."""
    return request.data if hasattr(request.data, "get") else {}


def storable(value: str) -> bool:
    """Whether a text can be looked up at all (PostgreSQL refuses NUL characters)."""
    return "\x00" not in value


def pk_or_invalid(queryset, **lookup) -> int | str:
    """The pk of the one row matching `lookup`, for a page form's ModelChoiceField, or a
    value that field refuses with its own message ("Select a valid choice")."""
    if not all(storable(str(value)) for value in lookup.values()):
        return "-"
    pk = queryset.filter(**lookup).values_list("pk", flat=True).first()
    return pk if pk is not None else "-"


def board_named(data, field: str = "board") -> Board | None:
    """The board a sanction is given from, by slug (as the page's hidden field): None when
    not given, 404 for one that does not exist (the page's answer), 400 for a non-string."""
    slug = data.get(field) if hasattr(data, "get") else None
    if slug in (None, ""):
        return None
    if not isinstance(slug, str):
        raise ValidationError({field: [serializers.CharField.default_error_messages["invalid"]]})
    board = Board.objects.filter(slug=slug).first() if storable(slug) else None
    if board is None:
        raise Http404
    return board
