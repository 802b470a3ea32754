"""The API's representations of the indicator catalogue, targets, observations and rollups."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from api.representation import ColumnReadingSerializer
from api.serializers import ServiceModelSerializer

from .models import Indicator, IndicatorTarget, Observation, ObservationValue, Rollup


class IndicatorSerializer(ServiceModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "definition",
            "unit",
            "method",
            "time_aggregation",
            "polarity",
            "disaggregation",
            "frequency",
            "key_element",
            "tier",
            "responsible_component",
            "source",
            "derivation",
            "data_source",
            "numerator_label",
            "denominator_label",
            "at_risk_margin",
            "is_active",
            "created_at",
            "updated_at",
        ]
        brief_fields = ["id", "code", "name", "unit"]


class IndicatorTargetSerializer(ServiceModelSerializer):
    class Meta:
        model = IndicatorTarget
        fields = [
            "id",
            "indicator",
            "mission",
            "period_start",
            "period_end",
            "baseline",
            "target",
            "created_at",
            "updated_at",
        ]
        brief_fields = ["id", "indicator", "mission", "period_start", "target"]
        create_only_fields = ["indicator", "mission"]


class ObservationValueSerializer(ColumnReadingSerializer[ObservationValue]):
    class Meta:
        model = ObservationValue
        fields = ["disaggregation", "value", "numerator", "denominator"]
        validators: list[Any] = []  # the service checks the groups against the indicator


class ObservationSerializer(ServiceModelSerializer):
    """An observation with its figures, one row per sex-age group (or the total)."""

    values: Any = ObservationValueSerializer(many=True)

    class Meta:
        model = Observation
        fields = [
            "id",
            "indicator",
            "mission",
            "area",
            "period_start",
            "period_end",
            "state",
            "note",
            "client_id",
            "values",
            "logged_by",
            "submitted_at",
            "validated_by",
            "validated_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["state", "logged_by", "submitted_at", "validated_by", "validated_at"]
        brief_fields = ["id", "indicator", "mission", "area", "period_start", "state"]
        create_only_fields = ["indicator", "mission", "client_id"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            attrs.setdefault("area", None)  # a mission-wide figure unless an area is given
        return attrs

    def validate_values(self, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """The rows as the services take them: figures by group, each group once."""
        default = ObservationValue._meta.get_field("disaggregation").get_default()
        for row in rows:  # a row without its group is the model's default group
            row.setdefault("disaggregation", default)
        groups = [row["disaggregation"] for row in rows]
        if len(set(groups)) != len(groups):
            raise serializers.ValidationError(_("Give each group's figures once."))
        return {row.pop("disaggregation"): row for row in rows}


class ObservationReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(help_text="What must be corrected, or why.")


class RollupSerializer(ColumnReadingSerializer[Rollup]):
    class Meta:
        model = Rollup
        fields = [
            "id",
            "indicator",
            "mission",
            "area",
            "level",
            "period",
            "period_start",
            "period_end",
            "disaggregation",
            "breakdown",
            "value",
            "numerator",
            "denominator",
            "provisional_value",
            "official_count",
            "provisional_count",
            "previous_value",
            "change",
            "baseline",
            "target",
            "status",
            "covered_days",
            "expected_reports",
            "received_reports",
            "on_time_reports",
            "validated_reports",
            "source_changed_at",
            "computed_at",
        ]
        read_only_fields = fields
