"""The API's representation of incidents, with their casualties by harm, sex and age."""

from __future__ import annotations

from api.serializers import ServiceModelSerializer

from .models import CasualtyCounts, GraveViolation, Incident

CASUALTY_FIELDS = [field.name for field in CasualtyCounts._meta.get_fields()]


class IncidentSerializer(ServiceModelSerializer):
    class Meta:
        model = Incident
        fields = [
            "id",
            "mission",
            "area",
            "occurred_on",
            "occurred_at",
            "date_precision",
            "location_name",
            "latitude",
            "longitude",
            "location_precision",
            "incident_type",
            "description",
            "perpetrator_category",
            "perpetrator_actor",
            "is_host_state_perpetrator",
            *CASUALTY_FIELDS,
            "people_displaced",
            "grave_violations",
            "verification_status",
            "source_type",
            "source_reliability",
            "is_restricted",
            "threat",
            "reported_by",
            "external_source",
            "external_id",
            "client_id",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["reported_by"]
        brief_fields = ["id", "mission", "area", "occurred_on", "incident_type"]
        create_only_fields = ["mission", "client_id"]


class GraveViolationSerializer(ServiceModelSerializer):
    class Meta:
        model = GraveViolation
        fields = ["id", "number", "code", "label", "created_at", "updated_at"]
        brief_fields = ["id", "number", "label"]
