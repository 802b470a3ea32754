"""The API's representation of the audit trail."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from .models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer[AuditEntry]):
    model = serializers.SerializerMethodField(help_text="The record's type, as app.model.")

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "request_id",
            "actor",
            "actor_name",
            "action",
            "model",
            "object_id",
            "object_repr",
            "mission",
            "is_restricted",
            "changes",
            "reason",
        ]
        read_only_fields = fields

    def get_model(self, entry: AuditEntry) -> str:
        label: Any = f"{entry.content_type.app_label}.{entry.content_type.model}"
        return str(label)


class DeletedRecordSerializer(serializers.ModelSerializer[AuditEntry]):
    """A deleted record, as a mirror needs it: which one, of which type, when."""

    model = serializers.SerializerMethodField(help_text="The record's type, as app.model.")
    record_id = serializers.IntegerField(source="object_id", read_only=True)
    deleted_at = serializers.DateTimeField(source="at", read_only=True)

    class Meta:
        model = AuditEntry
        fields = ["id", "model", "record_id", "mission", "deleted_at"]
        read_only_fields = fields

    get_model = AuditEntrySerializer.get_model
