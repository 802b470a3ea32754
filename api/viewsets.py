"""The base viewsets: reads scoped so no view can forget it, writes through the services.

NetBox applies `restrict()` in its base viewset; here `get_queryset()` applies the model's
`visible_to(user)`, so another mission's record, or a restricted one the user may not know of,
is a 404 to every method. Writes call the app's services with `by=` the caller; the policy
(`api.permissions.PolicyPermission`) has answered before, and the services ask it again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models, transaction
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from core.batches import collector_paused
from missions.permissions import Verb, can_view_somewhere

from .concurrency import etag, require_fresh
from .idempotency import idempotent
from .pagination import CursorPagination
from .serializers import BatchCreatedSerializer
from .throttling import BatchRateThrottle

TRUE = {"true", "1", "yes", "on"}
FALSE = {"false", "0", "no", "off", ""}


def _itself(user: Any) -> Any:
    """The signed-in user, not the lazy stand-in of a session's sign-in (Django's
    AuthenticationMiddleware), which answers every attribute read through its proxy: a batch
    names its user on thousands of records and audit entries."""
    if isinstance(user, LazyObject):
        user.pk  # noqa: B018 - evaluated, if not yet
        return user._wrapped  # LazyObject's own: the object it stands for
    return user


class ScopedViewSet(viewsets.GenericViewSet[Any]):
    """Reads of one model through its scoped queryset.

    `queryset` is the model's unscoped queryset with its joins and prefetches;
    `get_queryset()` restricts it to what the caller may see. `verb` is set by the workflow
    actions (`@action(..., verb=Verb.VALIDATE)`) for the permission class to ask.
    """

    queryset: models.QuerySet[Any]
    verb: Verb | None = None
    answered: models.Model | None = None  # the one record a response is about, if any

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

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        request.user = _itself(request.user)  # DRF's setter: the Django request's too

    def get_queryset(self) -> models.QuerySet[Any]:
        return self.scope(self.queryset.all())

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "brief": self.brief()}

    def brief(self) -> bool:
        """`?brief=`, a boolean: anything else is a 400 rather than a silent full answer."""
        given = self.request.query_params.get("brief", "").lower() if self.request else ""
        if given not in TRUE | FALSE:
            raise exceptions.ValidationError({"brief": [_("Give true or false.")]})
        return given in TRUE

    def fresh(self, instance: models.Model) -> models.Model:
        """The record as the API reads it (with its annotations), after a service wrote it."""
        return self.get_queryset().filter(pk=instance.pk).first() or instance


class ReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Records the application computes or records itself: read, never written."""

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        # one record's answer carries its version, for a later If-Match
        record = getattr(self, "answered", None)
        if record is not None and response.status_code < 300 and (tag := etag(record)):
            response["ETag"] = tag
        return super().finalize_response(request, response, *args, **kwargs)

    def get_object(self) -> Any:
        self.answered = record = super().get_object()
        return record


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
        serializer.instance = self.answered = self.fresh(created)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():  # the version is checked on the row locked for the write
            self.check_version(request)
            return super().update(request, *args, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            self.check_version(request)
            return super().destroy(request, *args, **kwargs)

    def check_version(self, request: Request) -> None:
        if "If-Match" in request.headers:
            record = self.get_object()  # scoped first: another mission's record stays a 404
            locked = type(record)._default_manager.select_for_update().get(pk=record.pk)
            require_fresh(request, locked)

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        record = serializer.instance
        assert record is not None, "an update serializer holds its record"
        updated = self.update_service(
            **self.record(record), by=self.request.user, data=serializer.validated_data
        )
        serializer.instance = self.answered = self.fresh(updated)

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
        self.answered = self.fresh(done)
        return Response(self.get_serializer(self.answered).data)


class CursorServiceViewSet(ServiceViewSet):
    pagination_class = CursorPagination


# `POST <records>/bulk/`: a batch of new records, all created or none, idempotent. The rows
# are validated by the viewset's serializer (`many=True`: `BatchSerializer`) and created by
# `bulk_service(by=, rows=)` in one transaction; the answer lists each record's id and client
# id in the order sent. With an `Idempotency-Key`, a retry gets the first answer
# (`api.idempotency`). (A comment, not a docstring: the schema would describe every operation
# of the viewset with it.)
class BatchCreateMixin:
    bulk_service: Callable[..., list[Any]]

    @action(
        detail=False,
        methods=["post"],
        verb=Verb.CREATE,
        throttle_classes=[BatchRateThrottle],
        filter_backends=[],  # a list answered, but no list read: no filters, no pages
        pagination_class=None,
    )
    def bulk(self, request: Request) -> Response:
        """Create up to 5,000 records at once: all of them, or none if any row is refused."""
        return idempotent(self, request, lambda: self.create_batch(request))  # type: ignore[arg-type]  # mixed into a viewset

    def create_batch(self, request: Request) -> Response:
        with collector_paused():  # from the rows' validation to their writing, see there
            serializer = self.get_serializer(data=request.data, many=True)  # type: ignore[attr-defined]  # mixed into a viewset
            serializer.is_valid(raise_exception=True)
            created = self.bulk_service(by=request.user, rows=serializer.validated_data)
        return Response(
            BatchCreatedSerializer(created, many=True).data, status=status.HTTP_201_CREATED
        )
