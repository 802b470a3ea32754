"""The API's representations of missions, areas and memberships."""

from __future__ import annotations

from api.serializers import ServiceModelSerializer

from .models import Area, Membership, Mission


class MissionSerializer(ServiceModelSerializer):
    class Meta:
        model = Mission
        fields = [
            "id",
            "acronym",
            "name",
            "host_country",
            "host_country_iso3",
            "mandate_resolution",
            "mandate_adopted_on",
            "mandate_expires_on",
            "reporting_from",
            "poc_priority_tasks",
            "working_languages",
            "time_zone",
            "alert_response_standard_hours",
            "report_grace_days",
            "completeness_threshold",
            "risk_medium_from",
            "risk_high_from",
            "risk_very_high_from",
            "two_factor_required",
            "is_active",
            "created_at",
            "updated_at",
        ]
        brief_fields = ["id", "acronym", "name"]


class AreaSerializer(ServiceModelSerializer):
    class Meta:
        model = Area
        fields = [
            "id",
            "mission",
            "kind",
            "parent",
            "sector",
            "aor",
            "name",
            "locality_type",
            "pcode",
            "latitude",
            "longitude",
            "phase",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["sector", "aor"]
        brief_fields = ["id", "mission", "kind", "name"]
        # an area moves in the hierarchy only through its own service (area_move)
        create_only_fields = ["mission", "kind", "parent"]


class MembershipSerializer(ServiceModelSerializer):
    class Meta:
        model = Membership
        fields = ["id", "user", "mission", "role", "created_at", "updated_at"]
        brief_fields = ["id", "user", "mission", "role"]
        create_only_fields = ["user", "mission"]
