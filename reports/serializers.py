"""The report's query and the shape of its JSON, for validation and for the schema."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers import ScopedRelatedField
from indicators.choices import PeriodKind, TargetStatus
from missions.models import Mission

from .periods import Period, parse_period


class ReportQuerySerializer(serializers.Serializer[Any]):
    period = serializers.CharField(
        help_text=_("A year (2026), a quarter (2026-Q3), a month (2026-09) or a week (2026-W05).")
    )
    mission = serializers.ListField(
        child=ScopedRelatedField(queryset=Mission.objects.all()),
        required=False,
        default=list,
        help_text=_(
            "Missions to report on (by id, repeatable); every mission you may read if none."
        ),
    )

    def validate_period(self, value: str) -> Period:
        try:
            return parse_period(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from error


class PeriodSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]  # the JSON key, not Field.label
    kind = serializers.ChoiceField(choices=PeriodKind.choices)
    start = serializers.DateField()
    end = serializers.DateField()


class ReportMissionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    acronym = serializers.CharField()
    name = serializers.CharField()
    country = serializers.CharField()
    country_code = serializers.CharField()
    as_of = serializers.DateField(allow_null=True)
    small_counts_hidden = serializers.BooleanField()


class ReportIndicatorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    derivation = serializers.CharField(allow_blank=True)
    definition = serializers.CharField()


class FigureSerializer(serializers.Serializer[Any]):
    mission = serializers.CharField()
    country_code = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    section = serializers.CharField()
    indicator_code = serializers.CharField()
    indicator = serializers.CharField()
    disaggregation = serializers.CharField()
    breakdown = serializers.CharField(allow_blank=True)
    value = serializers.FloatField(allow_null=True)
    previous_value = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(allow_null=True)
    target = serializers.FloatField(allow_null=True)
    status = serializers.ChoiceField(choices=TargetStatus.choices)
    as_of = serializers.DateField(allow_null=True)
    expected_reports = serializers.IntegerField(allow_null=True)
    validated_reports = serializers.IntegerField(allow_null=True)
    suppressed = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("The columns hidden to protect small counts: value, previous_value, change."),
    )


class PocReportSerializer(serializers.Serializer[Any]):
    """The POC report of one period: every mission side by side, from rollups only."""

    period = PeriodSerializer()
    generated_at = serializers.DateTimeField()
    figures_changed_at = serializers.DateTimeField(allow_null=True)
    small_count_threshold = serializers.IntegerField()
    missions = ReportMissionSerializer(many=True)
    sections = serializers.DictField(child=serializers.CharField())
    attributions = serializers.ListField(child=serializers.CharField())
    indicators = ReportIndicatorSerializer(many=True)
    figures = FigureSerializer(many=True)


class ReportExportSerializer(serializers.ModelSerializer[Any]):
    """A large export: its state, and once ready, where to download it until it expires."""

    download = serializers.SerializerMethodField()

    class Meta:
        from .models import ReportExport

        model = ReportExport
        fields = [
            "id",
            "format",
            "status",
            "rows",
            "missions",
            "sensitive_left_out",
            "error",
            "created_at",
            "finished_at",
            "expires_at",
            "download",
        ]
        read_only_fields = [f for f in fields if f != "format"]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download(self, export: Any) -> str | None:
        from django.urls import reverse

        from .choices import ExportStatus

        if export.status != ExportStatus.READY:
            return None
        path = reverse("api:reportexport-download", kwargs={"pk": export.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path
