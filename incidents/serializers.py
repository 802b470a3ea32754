"""The API's representation of incidents, with their casualties by harm, sex and age."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers import ServiceModelSerializer
from imports.presets import source_attribution

from .models import CasualtyCounts, GraveViolation, Incident

CASUALTY_FIELDS = [field.name for field in CasualtyCounts._meta.get_fields()]


class IncidentSerializer(ServiceModelSerializer):
    source_attribution = serializers.SerializerMethodField()

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
            "source_attribution",
            "source_figures",
            "ended_on",
            "import_run",
            "client_id",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["reported_by", "source_figures", "import_run"]
        brief_fields = ["id", "mission", "area", "occurred_on", "incident_type"]
        create_only_fields = ["mission", "client_id"]

    @extend_schema_field(serializers.CharField())
    def get_source_attribution(self, incident: Incident) -> str:
        """The credit the dataset an incident was imported from asks for; empty otherwise."""
        return source_attribution(incident.external_source) if incident.external_source else ""


class GraveViolationSerializer(ServiceModelSerializer):
    class Meta:
        model = GraveViolation
        fields = ["id", "number", "code", "label", "created_at", "updated_at"]
        brief_fields = ["id", "number", "label"]
