"""Write helpers shared by every app's services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def editable_fields(model: type[models.Model], *, exclude: Iterable[str] = ()) -> list[str]:
    """List the fields a user may edit on `model`, leaving out timestamps and `exclude`."""
    skip = {"created_at", "updated_at", *exclude}
    return [
        field.name
        for field in model._meta.get_fields()
        if getattr(field, "editable", False) and not field.auto_created and field.name not in skip
    ]


def _pks(values: Iterable[models.Model | int]) -> set[Any]:
    return {value.pk if isinstance(value, models.Model) else value for value in values}


def _differs(instance: models.Model, field: models.Field, value: Any) -> bool:
    # Compare a relation by its id, so checking an unchanged foreign key costs no query.
    if field.is_relation:
        wanted = value.pk if isinstance(value, models.Model) else value
        return getattr(instance, field.attname) != wanted
    return getattr(instance, field.name) != value


def model_update(*, instance: M, data: dict[str, Any], fields: list[str]) -> tuple[M, bool]:
    """Set the listed fields found in `data`, validate, and save only what changed.

    Keys of `data` outside `fields` are ignored, so a caller cannot write a column the service
    did not open. Many-to-many fields are set after the row is saved. Returns the instance and
    whether anything changed; an unchanged instance is neither validated nor saved.
    Validation sees the new scalar values, not the new many-to-many sets: a rule that spans
    both belongs in the calling service.
    """
    changed: list[str] = []
    m2m: dict[str, set[Any]] = {}
    for name in fields:
        if name not in data:
            continue
        field = instance._meta.get_field(name)
        if field.many_to_many:
            wanted = _pks(data[name])
            if wanted != _pks(getattr(instance, name).all()):
                m2m[name] = wanted
        elif _differs(instance, field, data[name]):
            setattr(instance, name, data[name])
            changed.append(name)
    if changed:
        instance.full_clean()
    if changed or m2m:
        # updated_at moves with any change: it dates the figures computed from this row
        stamp = ["updated_at"] if hasattr(instance, "updated_at") else []
        instance.save(update_fields=[*changed, *stamp])
    for name, wanted in m2m.items():
        getattr(instance, name).set(wanted)
    return instance, bool(changed or m2m)
