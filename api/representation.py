"""Representing records a page at a time: fields built once per class, and each column read
straight off the row.

DRF builds a model serializer's fields from the model for every serializer, so once per
request, though they depend on the class alone: they are built once here, and each
serializer gets fresh copies of them.

Then DRF's `Serializer.to_representation` resolves every field of every row afresh: the field's
source path, whether the attribute is a callable to call, a stand-in object for a link's id.
On a page of 100 incidents of 48 fields that lookup cost more than the database. The fields of
a model serializer mostly name one column of the row, or one foreign key whose id is the
answer; those are read here with one `getattr` each, and converted by the field's own
`to_representation`, so the answer is the one DRF gives. Every other field (nested, many,
dotted sources, methods) goes DRF's way.
"""

from __future__ import annotations

import copy
import functools
from typing import Any, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from rest_framework import relations, serializers
from rest_framework.fields import Field, SkipField

_M = TypeVar("_M", bound=models.Model)

# How a field is read: its column's attribute and the field's conversion (None: the value as
# it is, a foreign key's id), or no attribute for DRF's generic path.
Reading = tuple[str, str | None, Any, Field[Any, Any, Any, Any]]
# the lookups the direct reading stands for; a field that overrides them goes DRF's way
PLAIN = Field.get_attribute
LINK = relations.RelatedField.get_attribute


def _column(field: Field[Any, Any, Any, Any], model: type[models.Model]) -> tuple[str, bool] | None:
    """The attribute of the row a field reads, and whether the field converts its value
    (a link by id does not); None for a field read DRF's way."""
    if len(field.source_attrs) != 1:
        return None
    try:
        column = model._meta.get_field(field.source_attrs[0])
    except FieldDoesNotExist:  # a property, an annotation or a method: DRF's way
        return None
    if not column.concrete or column.many_to_many:
        return None
    if column.is_relation:
        # DRF answers a link by id with the foreign key's value (its `PKOnlyObject`)
        by_id = (
            isinstance(field, relations.PrimaryKeyRelatedField)
            and type(field).get_attribute is LINK
            and field.pk_field is None
            and field.use_pk_only_optimization()
            and isinstance(column, models.ForeignKey)
            and column.target_field == column.related_model._meta.pk
        )
        return (column.attname, False) if by_id else None
    if isinstance(field, serializers.BaseSerializer) or type(field).get_attribute is not PLAIN:
        return None  # nested, or a field that reads the row itself (DRF's `ModelField`)
    return (column.attname, True)


def _reading(field: Field[Any, Any, Any, Any], column: tuple[str, bool] | None) -> Reading:
    name = field.field_name
    assert name is not None, "a bound field has a name"
    if column is None:
        return (name, None, None, field)
    attname, converts = column
    if not converts:
        return (name, attname, None, field)
    if isinstance(field, serializers.DateTimeField) and not hasattr(field, "timezone"):
        # DRF asks for the current time zone at every value; it stays the same for the
        # request, whose own copy of the field this is
        field.timezone = field.default_timezone()  # type: ignore[assignment]  # None without USE_TZ, as DRF reads it
    return (name, attname, field.to_representation, field)


_Class = type[serializers.ModelSerializer[Any]]
_BUILT: dict[_Class, dict[str, Field[Any, Any, Any, Any]]] = {}
# how each field of a class is read (`_column`), which depends on the class alone
_COLUMNS: dict[tuple[_Class, str], tuple[str, bool] | None] = {}


def _fresh(field: Field[Any, Any, Any, Any]) -> Field[Any, Any, Any, Any]:
    """A new, unbound field like `field`, as DRF's copy of a declared field makes it.

    DRF deep-copies the arguments too; they are the model's choices, querysets, labels and
    validators, which no field changes, so a plain field is copied shallowly and shares
    them (its list of validators its own, in case one is added). A nested serializer is
    made anew, and a field holding another field (a list of links) is copied whole, as
    that one is bound too.
    """
    args, kwargs = field._args, field._kwargs  # type: ignore[attr-defined]  # kept by Field.__new__; the stubs omit them
    if any(isinstance(value, Field) for value in (*args, *kwargs.values())):
        return copy.deepcopy(field)
    if isinstance(field, serializers.BaseSerializer):
        return type(field)(*args, **kwargs)
    clone = copy.copy(field)
    if "_validators" in field.__dict__:
        clone._validators = list(field._validators)  # type: ignore[attr-defined]  # DRF's, behind `validators`
    return clone


class ColumnReadingSerializer(serializers.ModelSerializer[_M]):
    """A `ModelSerializer` whose rows are represented as DRF would, reading columns directly."""

    def get_fields(self) -> dict[str, Field[Any, Any, Any, Any]]:
        cls = type(self)
        if cls not in _BUILT:
            _BUILT[cls] = super().get_fields()
        return {name: _fresh(field) for name, field in _BUILT[cls].items()}

    @functools.cached_property
    def _readings(self) -> list[Reading]:
        cls, readings = type(self), []
        for field in self._readable_fields:
            key = (cls, field.field_name or "")
            if key not in _COLUMNS:
                _COLUMNS[key] = _column(field, self.Meta.model)
            readings.append(_reading(field, _COLUMNS[key]))
        return readings

    def to_representation(self, instance: Any) -> dict[str, Any]:
        if not isinstance(instance, self.Meta.model):
            generic: dict[str, Any] = super().to_representation(instance)
            return generic
        answer: dict[str, Any] = {}
        for name, attname, convert, field in self._readings:
            if attname is not None:
                value = getattr(instance, attname)
                answer[name] = value if value is None or convert is None else convert(value)
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            pk = attribute.pk if isinstance(attribute, relations.PKOnlyObject) else attribute
            answer[name] = None if pk is None else field.to_representation(attribute)
        return answer
