"""Forms of the browser app write through the services; this turns a service's refusal into the
form's own errors, so a person sees it beside the field it is about."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError

T = TypeVar("T")


def save_through(form: forms.BaseForm, write: Callable[[], T]) -> T | None:
    """Run `write` (a service call) for a valid form; on ValidationError, add its messages to
    the form (on their field where the form has it, else at the top) and return None."""
    try:
        return write()
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            form.add_error(None, error)
            return None
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return None
