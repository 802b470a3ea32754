"""API viewset of incidents: restricted ones only for those with a need to know."""

from __future__ import annotations

from django.db.models import Prefetch

from api.serializers import prefetched
from api.viewsets import BatchCreateMixin, CursorServiceViewSet, ReadOnlyViewSet

from . import services
from .filters import IncidentFilterSet
from .models import GraveViolation, Incident
from .serializers import GraveViolationSerializer, IncidentSerializer


class IncidentViewSet(BatchCreateMixin, CursorServiceViewSet):
    queryset = Incident.objects.prefetch_related(
        Prefetch("grave_violations", to_attr=prefetched("grave_violations"))
    )
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilterSet
    search_fields = ["description", "location_name", "perpetrator_actor"]
    ordering_fields = ["id", "occurred_on", "updated_at"]
    ordering = ["-id"]
    create_service = staticmethod(services.incident_create)
    update_service = staticmethod(services.incident_update)
    delete_service = staticmethod(services.incident_delete)
    bulk_service = staticmethod(services.incident_bulk_create)


class GraveViolationViewSet(ReadOnlyViewSet):
    """The six grave violations against children: reference data, corrected in the admin."""

    queryset = GraveViolation.objects.all()
    serializer_class = GraveViolationSerializer
