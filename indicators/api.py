"""API viewsets of the indicator catalogue, targets, observations and their workflow, and
the rollups (read-only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.viewsets import (
    BatchCreateMixin,
    CursorReadOnlyViewSet,
    CursorServiceViewSet,
    ServiceViewSet,
)
from missions.permissions import Verb

from .filters import (
    IndicatorFilterSet,
    IndicatorTargetFilterSet,
    ObservationFilterSet,
    RollupFilterSet,
)
from .models import Indicator, IndicatorTarget, Observation, Rollup
from .serializers import (
    IndicatorSerializer,
    IndicatorTargetSerializer,
    ObservationReasonSerializer,
    ObservationSerializer,
    RollupSerializer,
)
from .services import catalogue, observations

if TYPE_CHECKING:
    from accounts.models import User


class IndicatorViewSet(ServiceViewSet):
    queryset = Indicator.objects.all()
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet
    search_fields = ["code", "name", "definition"]
    ordering_fields = ["code", "name"]
    create_service = staticmethod(catalogue.indicator_create)
    update_service = staticmethod(catalogue.indicator_update)
    delete_service = staticmethod(catalogue.indicator_delete)


class IndicatorTargetViewSet(ServiceViewSet):
    queryset = IndicatorTarget.objects.all()
    serializer_class = IndicatorTargetSerializer
    filterset_class = IndicatorTargetFilterSet
    ordering_fields = ["period_start"]
    record_arg = "target"
    create_service = staticmethod(catalogue.target_create)
    update_service = staticmethod(catalogue.target_update)
    delete_service = staticmethod(catalogue.target_delete)


def _observation_update(*, observation: Observation, by: User, data: dict[str, Any]) -> Any:
    data = dict(data)
    values = data.pop("values", None)  # replaced whole when given
    return observations.observation_update(observation=observation, by=by, data=data, values=values)


class ObservationViewSet(BatchCreateMixin, CursorServiceViewSet):
    queryset = Observation.objects.prefetch_related("values")
    serializer_class = ObservationSerializer
    filterset_class = ObservationFilterSet
    ordering_fields = ["id", "period_start", "updated_at"]
    ordering = ["-id"]
    create_service = staticmethod(observations.observation_create)
    update_service = staticmethod(_observation_update)
    delete_service = staticmethod(observations.observation_delete)
    bulk_service = staticmethod(observations.observation_bulk_create)

    @extend_schema(request=None, responses=ObservationSerializer)
    @action(detail=True, methods=["post"], verb=Verb.SUBMIT)
    def submit(self, request: Request, pk: str) -> Response:
        """Submit a draft or returned observation for validation."""
        return self.workflow(request, observations.observation_submit)

    @extend_schema(request=None, responses=ObservationSerializer)
    @action(detail=True, methods=["post"], verb=Verb.VALIDATE)
    def validate(self, request: Request, pk: str) -> Response:
        """Validate a submitted observation: its figures now count in official rollups."""
        return self.workflow(request, observations.observation_validate)

    @extend_schema(request=ObservationReasonSerializer, responses=ObservationSerializer)
    @action(detail=True, methods=["post"], verb=Verb.RETURN, url_path="return", url_name="return")
    def return_(self, request: Request, pk: str) -> Response:
        """Return a submitted observation to whoever logged it, saying what to correct."""
        return self.workflow(request, observations.observation_return, ObservationReasonSerializer)

    @extend_schema(request=ObservationReasonSerializer, responses=ObservationSerializer)
    @action(detail=True, methods=["post"], verb=Verb.REOPEN)
    def reopen(self, request: Request, pk: str) -> Response:
        """Reopen a validated observation for correction, saying why."""
        return self.workflow(request, observations.observation_reopen, ObservationReasonSerializer)


class RollupViewSet(CursorReadOnlyViewSet):
    """The computed figures: one indicator, mission or area, period and group each."""

    queryset = Rollup.objects.all()
    serializer_class = RollupSerializer
    filterset_class = RollupFilterSet
    ordering_fields = ["id", "period_start"]
    ordering = ["-id"]
