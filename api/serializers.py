"""What every serializer of the API shares: brief forms, scoped links, no writes of its own."""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework import serializers
from rest_framework.fields import Field


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A link by id that accepts only the records the user may see: another mission's area or
    threat is "does not exist", as it would be to read."""

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


class ServiceModelSerializer(serializers.ModelSerializer[Any]):
    """A model serializer that validates shape and types only, and never writes.

    The viewsets hand `validated_data` to the app's services, which ask the policy, validate
    the record and its constraints, write and audit: nothing here saves a model. `Meta` may
    declare `brief_fields` (the representation of `?brief=true`) and `create_only_fields`
    (given on creation, read-only afterwards, as the services never move them).
    """

    serializer_related_field = ScopedRelatedField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        brief = getattr(self.Meta, "brief_fields", None)
        if brief is not None and self.context.get("brief"):
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
