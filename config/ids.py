"""Ids as the database keeps them: whole numbers from 1 to 2^63 - 1 (a bigint).

A number outside that range names no row, and SQLite cannot even bind it
(OverflowError), so every id a request carries is checked here first: the URL
converter `<id:pk>` (registered in config.urls) answers 404, and the form
fields below answer with a field error, never a 500.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_ID = 2**63 - 1


def as_id(value) -> int | None:
    """The id `value` spells (an int or a string of digits), or None if it is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit():
        number = int(value)
    else:
        return None
    return number if 0 < number <= MAX_ID else None


class IdConverter:
    """`<id:pk>` in a route: digits naming a possible row; anything else is a 404."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = as_id(value)
        if number is None:
            raise ValueError(f"not an id: {value}")
        return number

    def to_url(self, value) -> str:
        number = as_id(value)
        if number is None:
            raise ValueError(f"not an id: {value}")
        return str(number)


class IdField(forms.IntegerField):
    """A number typed in that names a row (a thread to merge into)."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class IdListField(forms.Field):
    """Ids from repeated inputs (checkboxes named alike), sorted, each in range."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if isinstance(value, str | int):
            value = [value]
        ids = {as_id(v.strip() if isinstance(v, str) else v) for v in value}
        if None in ids:
            raise ValidationError(_("Choose from the list."), code="invalid")
        return sorted(ids)


class _IdChoices:
    """Refuse what cannot be an id before the database is asked about it."""

    def _check_id(self, value):
        if value not in self.empty_values and as_id(str(value).strip()) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")


class IdModelChoiceField(_IdChoices, forms.ModelChoiceField):
    def to_python(self, value):
        if not isinstance(value, self.queryset.model):
            self._check_id(value)
        return super().to_python(value)


class IdModelMultipleChoiceField(_IdChoices, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        for pk in value:
            if as_id(str(pk).strip()) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
