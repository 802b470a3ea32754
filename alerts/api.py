"""API viewset of early-warning alerts, with the steps of their response."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.viewsets import BatchCreateMixin, CursorServiceViewSet
from missions.permissions import Verb

from . import services
from .filters import AlertFilterSet
from .models import Alert
from .serializers import AlertAcknowledgeSerializer, AlertResponseSerializer, AlertSerializer


class AlertViewSet(BatchCreateMixin, CursorServiceViewSet):
    queryset = Alert.objects.all()
    serializer_class = AlertSerializer
    filterset_class = AlertFilterSet
    search_fields = ["summary"]
    ordering_fields = ["id", "received_at", "updated_at"]
    ordering = ["-id"]
    create_service = staticmethod(services.alert_create)
    update_service = staticmethod(services.alert_update)
    delete_service = staticmethod(services.alert_delete)
    bulk_service = staticmethod(services.alert_bulk_create)

    @extend_schema(request=AlertAcknowledgeSerializer, responses=AlertSerializer)
    @action(detail=True, methods=["post"], verb=Verb.ACKNOWLEDGE)
    def acknowledge(self, request: Request, pk: str) -> Response:
        """Record that the mission acknowledged the alert; the first acknowledgement stands."""
        return self.workflow(request, services.alert_acknowledge, AlertAcknowledgeSerializer)

    @extend_schema(request=AlertResponseSerializer, responses=AlertSerializer)
    @action(detail=True, methods=["post"], verb=Verb.RESPOND)
    def respond(self, request: Request, pk: str) -> Response:
        """Record the response as it now stands: decided, deployed, arrived, its outcome."""
        return self.workflow(request, services.alert_record_response, AlertResponseSerializer)
