"""API viewset of protection activities."""

from __future__ import annotations

from api.viewsets import CursorServiceViewSet

from . import services
from .filters import ProtectionActivityFilterSet
from .models import ProtectionActivity
from .serializers import ProtectionActivitySerializer


class ProtectionActivityViewSet(CursorServiceViewSet):
    queryset = ProtectionActivity.objects.all()
    serializer_class = ProtectionActivitySerializer
    filterset_class = ProtectionActivityFilterSet
    search_fields = ["title", "description"]
    ordering_fields = ["id", "started_on", "updated_at"]
    ordering = ["-id"]
    record_arg = "activity"
    create_service = staticmethod(services.activity_create)
    update_service = staticmethod(services.activity_update)
    delete_service = staticmethod(services.activity_delete)
