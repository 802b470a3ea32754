"""API viewsets of the A4P reference frame (read-only: administrators correct it in the admin)
and of each mission's commitment implementation and its actions."""

from __future__ import annotations

from api.viewsets import ReadOnlyViewSet, ServiceViewSet

from . import services
from .filters import (
    CommitmentActionFilterSet,
    CommitmentImplementationFilterSet,
    KeyElementFilterSet,
    ParagraphFilterSet,
)
from .models import (
    CommitmentAction,
    CommitmentImplementation,
    KeyElement,
    Paragraph,
    Phase,
    PriorityArea,
    Tier,
)
from .serializers import (
    CommitmentActionSerializer,
    CommitmentImplementationSerializer,
    KeyElementSerializer,
    ParagraphSerializer,
    PhaseSerializer,
    PriorityAreaSerializer,
    TierSerializer,
)


class PriorityAreaViewSet(ReadOnlyViewSet):
    queryset = PriorityArea.objects.all()
    serializer_class = PriorityAreaSerializer


class ParagraphViewSet(ReadOnlyViewSet):
    queryset = Paragraph.objects.all()
    serializer_class = ParagraphSerializer
    filterset_class = ParagraphFilterSet


class KeyElementViewSet(ReadOnlyViewSet):
    queryset = KeyElement.objects.all()
    serializer_class = KeyElementSerializer
    filterset_class = KeyElementFilterSet


class TierViewSet(ReadOnlyViewSet):
    queryset = Tier.objects.all()
    serializer_class = TierSerializer


class PhaseViewSet(ReadOnlyViewSet):
    queryset = Phase.objects.all()
    serializer_class = PhaseSerializer


class CommitmentImplementationViewSet(ServiceViewSet):
    queryset = CommitmentImplementation.objects.all()
    serializer_class = CommitmentImplementationSerializer
    filterset_class = CommitmentImplementationFilterSet
    search_fields = ["summary", "evidence"]
    ordering_fields = ["due_on", "last_reviewed_on", "status"]
    record_arg = "implementation"
    create_service = staticmethod(services.implementation_create)
    update_service = staticmethod(services.implementation_update)
    delete_service = staticmethod(services.implementation_delete)


class CommitmentActionViewSet(ServiceViewSet):
    queryset = CommitmentAction.objects.all()
    serializer_class = CommitmentActionSerializer
    filterset_class = CommitmentActionFilterSet
    search_fields = ["description"]
    ordering_fields = ["due_on", "status"]
    record_arg = "action"
    create_service = staticmethod(services.commitment_action_create)
    update_service = staticmethod(services.commitment_action_update)
    delete_service = staticmethod(services.commitment_action_delete)
