"""The base viewsets: reads scoped so no view can forget it, writes through the services.

NetBox applies `restrict()` in its base viewset; here `get_queryset()` applies the model's
`visible_to(user)`, so another mission's record, or a restricted one the user may not know of,
is a 404 to every method. Writes call the app's services with `by=` the caller; the policy
(`api.permissions.PolicyPermission`) has answered before, and the services ask it again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from missions.permissions import Verb, can_view_somewhere

from .pagination import CursorPagination

TRUE = {"true", "1", "yes", "on"}


class ScopedViewSet(viewsets.GenericViewSet[Any]):
    """Reads of one model through its scoped queryset.

    `queryset` is the model's unscoped queryset with its joins and prefetches;
    `get_queryset()` restricts it to what the caller may see. `verb` is set by the workflow
    actions (`@action(..., verb=Verb.VALIDATE)`) for the permission class to ask.
    """

    queryset: models.QuerySet[Any]
    verb: Verb | None = None

    @property
    def model(self) -> type[models.Model]:
        return self.queryset.model

    def scope(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        """The rows the caller may see: the model's `visible_to`, or a selector's.

        Reference data outside any mission (the indicator catalogue) is read by everyone who
        may read anything.
        """
        user = self.request.user
        if hasattr(queryset, "visible_to"):
            scoped: models.QuerySet[Any] = queryset.visible_to(user)
            return scoped
        assert not hasattr(self.model, "mission_field"), f"{self.model} has no scoped queryset"
        return queryset if can_view_somewhere(user) else queryset.none()

    def get_queryset(self) -> models.QuerySet[Any]:
        return self.scope(self.queryset.all())

    def get_serializer_context(self) -> dict[str, Any]:
        brief = (
            self.request.query_params.get("brief", "").lower() in TRUE if self.request else False
        )
        return {**super().get_serializer_context(), "brief": brief}

    def fresh(self, instance: models.Model) -> models.Model:
        """The record as the API reads it (with its annotations), after a service wrote it."""
        return self.get_queryset().filter(pk=instance.pk).first() or instance


class ReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Records the application computes or records itself: read, never written."""


class CursorReadOnlyViewSet(ReadOnlyViewSet):
    pagination_class = CursorPagination


class ServiceViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ReadOnlyViewSet,
):
    """Reads scoped, writes through the app's services.

    Subclasses name the services: `create_service(by=, **validated_data)`,
    `update_service(<record_arg>=record, by=, data=validated_data)` and
    `delete_service(<record_arg>=record, by=)`, `record_arg` being the model's name unless
    the services call it otherwise (`action=` for a response action).
    """

    create_service: Callable[..., Any]
    update_service: Callable[..., Any]
    delete_service: Callable[..., None]
    record_arg: str = ""

    def record(self, instance: models.Model) -> dict[str, models.Model]:
        return {self.record_arg or self.model._meta.model_name or "": instance}

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        created = self.create_service(by=self.request.user, **serializer.validated_data)
        serializer.instance = self.fresh(created)

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        record = serializer.instance
        assert record is not None, "an update serializer holds its record"
        updated = self.update_service(
            **self.record(record), by=self.request.user, data=serializer.validated_data
        )
        serializer.instance = self.fresh(updated)

    def perform_destroy(self, instance: models.Model) -> None:
        self.delete_service(**self.record(instance), by=self.request.user)

    def workflow(
        self,
        request: Request,
        service: Callable[..., Any],
        given: type[BaseSerializer[Any]] | None = None,
    ) -> Response:
        """Run a workflow step (`verb` of the action) on the record, with the step's input
        validated by `given`, and answer with the record as it now stands."""
        record = self.get_object()  # scoped, and the policy asked for the action's verb
        data: dict[str, Any] = {}
        if given is not None:
            serializer = given(data=request.data, context=self.get_serializer_context())
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
        done = service(**self.record(record), by=request.user, **data)
        return Response(self.get_serializer(self.fresh(done)).data)


class CursorServiceViewSet(ServiceViewSet):
    pagination_class = CursorPagination
