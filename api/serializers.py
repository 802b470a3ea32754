"""What every serializer of the API shares: brief forms, scoped links, no writes of its own."""

from __future__ import annotations

import functools
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from rest_framework import serializers
from rest_framework.fields import Field
from rest_framework.relations import MANY_RELATION_KWARGS, ManyRelatedField
from rest_framework.serializers import LIST_SERIALIZER_KWARGS, LIST_SERIALIZER_KWARGS_REMOVE

from core.batches import MAX_BATCH
from core.validators import one_record_dates_window

from .representation import ColumnReadingSerializer


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A link by id that accepts only the records the user may see: another mission's area or
    threat is "does not exist", as it would be to read.

    In a batch, `known` holds the records the batch links to, read once for all its rows
    (`BatchSerializer`), so that a row costs no query.
    """

    known: dict[Any, models.Model] | None = None
    known_model: type[models.Model] = models.Model

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> ScopedManyRelatedField:
        # DRF's, with the list field that reads a prefetched list
        given = {key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS}
        return ScopedManyRelatedField(child_relation=cls(*args, **kwargs), **given)

    def get_queryset(self) -> models.QuerySet[Any]:
        queryset = super().get_queryset()
        assert queryset is not None, "a writable link names its queryset"
        request = self.context.get("request")
        if hasattr(queryset, "visible_to"):
            user = getattr(request, "user", None)
            scoped: models.QuerySet[Any] = (
                queryset.visible_to(user) if user is not None else queryset.none()
            )
            return scoped
        return queryset

    def to_internal_value(self, data: Any) -> Any:
        if self.known is None:
            return super().to_internal_value(data)
        pk = _pk(self.known_model, data)
        if pk is None:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if pk not in self.known:
            self.fail("does_not_exist", pk_value=data)
        return self.known[pk]


def prefetched(name: str) -> str:
    """The attribute on which a list's `Prefetch(name, to_attr=prefetched(name))` leaves the
    related records of each row."""
    return f"prefetched_{name}"


class ScopedManyRelatedField(ManyRelatedField):
    """Links by id to many records, read from the plain list a `Prefetch` with
    `to_attr=prefetched(name)` left on the row when the viewset's queryset has one.

    A prefetch without `to_attr` gives every row a related manager and a queryset, and
    reading it gives another: on a page of 100 incidents that cost more than their query.
    """

    def get_attribute(self, instance: Any) -> Any:
        if len(self.source_attrs) == 1:
            links = getattr(instance, prefetched(self.source_attrs[0]), None)
            if links is not None:
                return links
        return super().get_attribute(instance)


def _pk(model: type[models.Model], data: Any) -> Any:
    """The primary key an id given in a request names, or None for what names none."""
    if isinstance(data, bool) or not isinstance(data, int | str):
        return None
    try:
        return model._meta.pk.to_python(data)
    except ValidationError:
        return None


class BatchSerializer(serializers.ListSerializer[Any]):
    """A batch of new records of one kind: every row validated by the record's serializer.

    At most `MAX_BATCH` rows, and at least one. The records the rows link to are read once,
    each kind in one scoped query, before the rows are validated.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_BATCH)
        kwargs.setdefault("allow_empty", False)
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, list) and len(data) <= MAX_BATCH:
            self._read_links([row for row in data if isinstance(row, dict)])
        try:
            with one_record_dates_window():  # its dates read the clock and settings once
                return super().to_internal_value(data)
        except serializers.ValidationError as error:
            # the rows' errors by index as text: the error formatter drops a key of 0
            if isinstance(error.detail, dict):
                rows = {str(index): errors for index, errors in error.detail.items()}
                raise serializers.ValidationError(rows) from error
            raise

    def _read_links(self, rows: list[dict[str, Any]]) -> None:
        child = self.child
        assert isinstance(child, serializers.Serializer), "a batch has a serializer for its rows"
        for name, field in child.fields.items():
            link = field.child_relation if isinstance(field, ManyRelatedField) else field
            if field.read_only or not isinstance(link, ScopedRelatedField):
                continue
            given = [row[name] for row in rows if name in row]
            ids = [
                item for value in given for item in (value if isinstance(value, list) else [value])
            ]
            scoped = link.get_queryset()
            pks = {pk for pk in (_pk(scoped.model, item) for item in ids) if pk is not None}
            link.known, link.known_model = scoped.in_bulk(sorted(pks)), scoped.model


class ServiceModelSerializer(ColumnReadingSerializer[Any]):
    """A model serializer that validates shape and types only, and never writes.

    The viewsets hand `validated_data` to the app's services, which ask the policy, validate
    the record and its constraints, write and audit: nothing here saves a model. `Meta` may
    declare `brief_fields` (the representation of `?brief=true`) and `create_only_fields`
    (given on creation, read-only afterwards, as the services never move them).
    """

    serializer_related_field = ScopedRelatedField
    brief_only = False  # set on the brief class `brief_of()` makes, which the schema names

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> BatchSerializer:
        # DRF's, with the batch's list class: a list answered is a batch's too
        given = {key: kwargs.pop(key) for key in LIST_SERIALIZER_KWARGS_REMOVE if key in kwargs}
        given["child"] = cls(*args, **kwargs)
        given.update({key: value for key, value in kwargs.items() if key in LIST_SERIALIZER_KWARGS})
        return BatchSerializer(*args, **given)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        brief = getattr(self.Meta, "brief_fields", None)
        if brief is not None and (self.brief_only or self.context.get("brief")):
            for name in set(self.fields) - set(brief):
                self.fields.pop(name)

    def get_fields(self) -> dict[str, Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        if self.instance is not None:
            for name in getattr(self.Meta, "create_only_fields", ()):
                fields[name].read_only = True
        return fields

    def get_validators(self) -> list[Any]:
        # unique constraints are the services' to check, with their own messages
        return []

    def create(self, validated_data: dict[str, Any]) -> Any:
        raise TypeError("Records are created through the services (api.viewsets).")

    def update(self, instance: Any, validated_data: dict[str, Any]) -> Any:
        raise TypeError("Records are changed through the services (api.viewsets).")


class BatchCreatedSerializer(serializers.Serializer[Any]):
    """A created record of a batch, in the order of the rows sent: its id and client id."""

    id = serializers.IntegerField(read_only=True)
    client_id = serializers.UUIDField(read_only=True, allow_null=True)


@functools.cache
def brief_of(serializer_class: type[ServiceModelSerializer]) -> type[ServiceModelSerializer]:
    """The brief representation of `serializer_class` as a class of its own, for the schema to
    describe it as a component (`IncidentBrief`); one class per serializer, so the component
    is one too."""
    name = serializer_class.__name__.removesuffix("Serializer")
    doc = f"The brief representation of {name} (`?brief=true`): these fields and no others."
    return type(f"{name}BriefSerializer", (serializer_class,), {"brief_only": True, "__doc__": doc})
