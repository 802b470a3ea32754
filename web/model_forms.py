"""Forms over a record's own fields that leave the writing to a service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model


class ModelFieldsForm(forms.Form):
    """A plain form with a model's own form fields (labels, help, choices, validators), so a
    service, not the form, applies the values to the record."""

    model: type[Model]
    names: list[str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.names:
            field = self.model._meta.get_field(name).formfield()  # type: ignore[union-attr]  # concrete fields
            assert field is not None, f"{name} is an editable field"
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            self.fields[name] = field
