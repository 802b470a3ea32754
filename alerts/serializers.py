"""The API's representations of alerts and of the steps of their response."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from api.serializers import ServiceModelSerializer
from commitments.models import Tier

from .choices import AlertOutcome
from .models import Alert

# written by the workflow steps (acknowledge, respond), never by a plain change
RESPONSE_FIELDS = [
    "acknowledged_at",
    "response_tier",
    "response_decided",
    "deployed_at",
    "arrived_at",
    "outcome",
]


class AlertSerializer(ServiceModelSerializer):
    class Meta:
        model = Alert
        fields = [
            "id",
            "mission",
            "area",
            "source",
            "severity",
            "summary",
            "threat",
            "received_at",
            "received_on",
            *RESPONSE_FIELDS,
            "outcome_notes",
            "client_id",
            "logged_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["received_on", "logged_by", *RESPONSE_FIELDS]
        brief_fields = ["id", "mission", "area", "severity", "received_at", "outcome"]
        create_only_fields = ["mission", "client_id"]


class AlertAcknowledgeSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField(required=False, help_text="Now if not given.")


class AlertResponseSerializer(serializers.Serializer[Any]):
    tier = serializers.PrimaryKeyRelatedField(queryset=Tier.objects.all())
    decided = serializers.CharField()
    deployed_at = serializers.DateTimeField(required=False, allow_null=True)
    arrived_at = serializers.DateTimeField(required=False, allow_null=True)
    outcome = serializers.ChoiceField(choices=AlertOutcome.choices, required=False)
