"""Admin widgets that take what a user may type without failing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.contrib.admin.widgets import (
    AutocompleteMixin,
    AutocompleteSelect,
    AutocompleteSelectMultiple,
)
from django.core.exceptions import ValidationError
from django.db import models

if TYPE_CHECKING:
    _AutocompleteBase = AutocompleteMixin
else:
    _AutocompleteBase = object


class _ValidChoicesOnly(_AutocompleteBase):
    """An autocomplete widget that shows a mistyped value as nothing chosen.

    Django's own looks the submitted value up as it is, and fails on text where an id belongs;
    the form's field then reports the bad choice.
    """

    field: models.ForeignKey[Any, Any] | models.ManyToManyField[Any, Any]

    def optgroups(
        self, name: str, value: Sequence[str], attr: dict[str, Any] | None = None
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        field = self.field
        target = field.target_field if field.many_to_one else field.related_model._meta.pk
        valid = []
        for choice in value:
            try:
                target.to_python(choice)
            except ValidationError:
                continue
            valid.append(choice)
        return super().optgroups(name, valid, attr)


class SafeAutocompleteSelect(_ValidChoicesOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ValidChoicesOnly, AutocompleteSelectMultiple):
    pass
