"""The API's representation of imports, and the form of an upload."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers import ScopedRelatedField, ServiceModelSerializer
from incidents.choices import SourceReliability, SourceType, VerificationStatus
from missions.models import Mission

from .choices import ImportStatus, MissingEvents, Preset
from .models import IncidentImport
from .presets import source_attribution
from .services import import_progress


class IncidentImportSerializer(ServiceModelSerializer):
    """An import: what was asked, where it has got to, and what it did or would do."""

    status = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    attribution = serializers.SerializerMethodField()
    rows = serializers.IntegerField(source="counts.rows", default=0, read_only=True)

    class Meta:
        model = IncidentImport
        fields = [
            "id",
            "mission",
            "file_name",
            "file_size",
            "checksum",
            "preset",
            "mapping",
            "source_name",
            "attribution",
            "verification_status",
            "source_type",
            "source_reliability",
            "create_areas",
            "skip_bad_rows",
            "missing",
            "dry_run",
            "status",
            "progress",
            "rows",
            "counts",
            "report",
            "error",
            "confirms",
            "created_by",
            "started_at",
            "finished_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        brief_fields = ["id", "mission", "file_name", "status", "dry_run"]

    @extend_schema_field(serializers.ChoiceField(choices=ImportStatus.choices))
    def get_status(self, run: IncidentImport) -> str:
        # the run's row shows its outcome once its transaction ends; meanwhile, its progress
        if run.status == ImportStatus.QUEUED and import_progress(run) is not None:
            return ImportStatus.RUNNING
        return run.status

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField(), allow_null=True))
    def get_progress(self, run: IncidentImport) -> dict[str, int] | None:
        """Rows read, and the position reached out of the total (bytes of a CSV, rows of an
        XLSX sheet), while the import runs."""
        return None if ImportStatus(run.status).is_finished else import_progress(run)

    @extend_schema_field(OpenApiTypes.STR)
    def get_attribution(self, run: IncidentImport) -> str:
        return source_attribution(run.source_name)


class MappingField(serializers.JSONField):
    """A JSON object, given as such or, in a multipart form, as its text."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str):
            try:
                data = json.loads(data) if data.strip() else {}
            except ValueError:
                self.fail("invalid")
        if not isinstance(data, dict):
            raise serializers.ValidationError(_("A mapping is a JSON object."))
        return data


class ImportUploadSerializer(serializers.Serializer[Any]):
    """The file to import into a mission, and how to read it."""

    file = serializers.FileField(help_text=_("A CSV or XLSX file."))
    mission = ScopedRelatedField(queryset=Mission.objects.all())
    preset = serializers.ChoiceField(choices=Preset.choices)
    mapping = MappingField(
        required=False,
        default=dict,
        help_text=_("Columns, places, value maps and constants (JSON; required for generic)."),
    )
    verification_status = serializers.ChoiceField(
        choices=VerificationStatus.choices, default=VerificationStatus.REPORTED
    )
    source_type = serializers.ChoiceField(choices=SourceType.choices, default=SourceType.OPEN_DATA)
    source_reliability = serializers.ChoiceField(
        choices=SourceReliability.choices, default=SourceReliability.F
    )
    create_areas = serializers.BooleanField(default=False)
    skip_bad_rows = serializers.BooleanField(default=False)
    missing = serializers.ChoiceField(choices=MissingEvents.choices, default=MissingEvents.LIST)
    dry_run = serializers.BooleanField(default=False)
