"""API viewsets of missions, their areas and memberships."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from api.viewsets import ServiceViewSet

from . import services
from .filters import AreaFilterSet, MembershipFilterSet, MissionFilterSet
from .models import Area, Membership, Mission
from .serializers import AreaSerializer, MembershipSerializer, MissionSerializer

if TYPE_CHECKING:
    from accounts.models import User


class MissionViewSet(ServiceViewSet):
    queryset = Mission.objects.all()
    serializer_class = MissionSerializer
    filterset_class = MissionFilterSet
    search_fields = ["acronym", "name", "host_country"]
    ordering_fields = ["acronym", "name"]
    create_service = staticmethod(services.mission_create)
    update_service = staticmethod(services.mission_update)
    delete_service = staticmethod(services.mission_delete)


class AreaViewSet(ServiceViewSet):
    queryset = Area.objects.all()
    serializer_class = AreaSerializer
    filterset_class = AreaFilterSet
    search_fields = ["name", "pcode"]
    ordering_fields = ["name", "kind"]
    create_service = staticmethod(services.area_create)
    update_service = staticmethod(services.area_update)
    delete_service = staticmethod(services.area_delete)


def _membership_update(*, membership: Membership, by: User, data: dict[str, Any]) -> Membership:
    # a membership's one changeable fact is its role
    return services.membership_update(
        membership=membership, by=by, role=data.get("role", membership.role)
    )


class MembershipViewSet(ServiceViewSet):
    queryset = Membership.objects.select_related("user")
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet
    ordering_fields = ["role", "created_at"]
    create_service = staticmethod(services.membership_create)
    update_service = staticmethod(_membership_update)
    delete_service = staticmethod(services.membership_delete)
