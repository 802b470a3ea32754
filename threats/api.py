"""API viewsets of the threat register."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from api.viewsets import ReadOnlyViewSet, ServiceViewSet
from missions.permissions import Verb

from . import services
from .filters import (
    CommunityAtRiskFilterSet,
    ResponseActionFilterSet,
    ThreatAssessmentFilterSet,
    ThreatFilterSet,
)
from .models import CommunityAtRisk, ResponseAction, Threat, ThreatAssessment
from .serializers import (
    CommunityAtRiskSerializer,
    ResponseActionSerializer,
    ThreatAssessmentSerializer,
    ThreatCloseSerializer,
    ThreatSerializer,
    ThreatUpdateSerializer,
)

if TYPE_CHECKING:
    from accounts.models import User


def _threat_update(*, threat: Threat, by: User, data: dict[str, Any]) -> Threat:
    data = dict(data)
    assessed_on = data.pop("assessed_on", None)
    return services.threat_update(threat=threat, by=by, data=data, assessed_on=assessed_on)


class ThreatViewSet(ServiceViewSet):
    queryset = Threat.objects.with_risk_level().prefetch_related(
        "areas", "communities", "response_actions"
    )
    serializer_class = ThreatSerializer
    filterset_class = ThreatFilterSet
    search_fields = ["title", "description", "perpetrator_actor"]
    ordering_fields = ["risk_score", "identified_on", "next_review_on", "title"]
    create_service = staticmethod(services.threat_create)
    update_service = staticmethod(_threat_update)
    delete_service = staticmethod(services.threat_delete)

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action in ("update", "partial_update"):
            return ThreatUpdateSerializer
        return ThreatSerializer

    @extend_schema(request=ThreatCloseSerializer, responses=ThreatSerializer)
    @action(detail=True, methods=["post"], verb=Verb.CLOSE)
    def close(self, request: Request, pk: str) -> Response:
        """Resolve the threat: it is no longer assessed as one from `closed_on`."""
        return self.workflow(request, services.threat_close, ThreatCloseSerializer)


class CommunityAtRiskViewSet(ServiceViewSet):
    queryset = CommunityAtRisk.objects.all()
    serializer_class = CommunityAtRiskSerializer
    filterset_class = CommunityAtRiskFilterSet
    search_fields = ["name"]
    ordering_fields = ["name"]
    record_arg = "community"
    create_service = staticmethod(services.community_create)
    update_service = staticmethod(services.community_update)
    delete_service = staticmethod(services.community_delete)


class ResponseActionViewSet(ServiceViewSet):
    queryset = ResponseAction.objects.all()
    serializer_class = ResponseActionSerializer
    filterset_class = ResponseActionFilterSet
    search_fields = ["description", "lead"]
    ordering_fields = ["due_on", "status"]
    record_arg = "action"
    create_service = staticmethod(services.response_action_create)
    update_service = staticmethod(services.response_action_update)
    delete_service = staticmethod(services.response_action_delete)


class ThreatAssessmentViewSet(ReadOnlyViewSet):
    """A threat's risk history: each scoring with the days it was in force."""

    queryset = ThreatAssessment.objects.all()
    serializer_class = ThreatAssessmentSerializer
    filterset_class = ThreatAssessmentFilterSet
    ordering_fields = ["valid_from"]
