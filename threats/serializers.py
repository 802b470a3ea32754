"""The API's representations of threats, their communities at risk, response plans and risk
history. A threat nests its communities and its plan, the two a client reads with it."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from api.serializers import ServiceModelSerializer
from missions.choices import RiskLevel

from .models import CommunityAtRisk, ResponseAction, Threat, ThreatAssessment

COMMUNITY_FIELDS = ["id", "name", "group", "area", "women", "men", "girls", "boys"]
RESPONSE_ACTION_FIELDS = [
    "id",
    "tier",
    "phase",
    "description",
    "component",
    "lead",
    "status",
    "due_on",
]


class ThreatCommunitySerializer(ServiceModelSerializer):
    """A community as a threat nests it: given with the threat when it is entered."""

    class Meta:
        model = CommunityAtRisk
        fields = COMMUNITY_FIELDS


class CommunityAtRiskSerializer(ServiceModelSerializer):
    class Meta:
        model = CommunityAtRisk
        fields = ["threat", "mission", *COMMUNITY_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["mission"]
        brief_fields = ["id", "threat", "name"]
        create_only_fields = ["threat"]


class ResponseActionSerializer(ServiceModelSerializer):
    class Meta:
        model = ResponseAction
        fields = ["threat", *RESPONSE_ACTION_FIELDS, "created_at", "updated_at"]
        brief_fields = ["id", "threat", "tier", "phase", "status"]
        create_only_fields = ["threat"]


class ThreatSerializer(ServiceModelSerializer):
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, read_only=True)
    communities: Any = ThreatCommunitySerializer(many=True, required=False)
    response_plan: Any = ResponseActionSerializer(
        source="response_actions", many=True, read_only=True
    )

    class Meta:
        model = Threat
        fields = [
            "id",
            "mission",
            "title",
            "description",
            "threat_type",
            "perpetrator_category",
            "perpetrator_actor",
            "is_host_state_perpetrator",
            "areas",
            "likelihood",
            "impact",
            "risk_score",
            "risk_level",
            "trend",
            "phase",
            "status",
            "identified_on",
            "closed_on",
            "warning_signs",
            "owner",
            "next_review_on",
            "communities",
            "response_plan",
            "created_at",
            "updated_at",
        ]
        brief_fields = ["id", "mission", "title", "risk_score", "risk_level", "status"]
        # communities are given with a new threat, then written on their own endpoint
        create_only_fields = ["mission", "communities"]


class ThreatUpdateSerializer(ThreatSerializer):
    """A change of a threat may say from which day a re-scoring is in force."""

    assessed_on = serializers.DateField(
        write_only=True, required=False, help_text="Day a re-scoring takes effect; today if none."
    )

    class Meta(ThreatSerializer.Meta):
        fields = [*ThreatSerializer.Meta.fields, "assessed_on"]


class ThreatCloseSerializer(serializers.Serializer[Any]):
    closed_on = serializers.DateField(required=False, help_text="Today if not given.")


class ThreatAssessmentSerializer(ServiceModelSerializer):
    class Meta:
        model = ThreatAssessment
        fields = [
            "id",
            "threat",
            "mission",
            "valid_from",
            "valid_to",
            "likelihood",
            "impact",
            "risk_score",
            "trend",
            "phase",
            "assessed_by",
            "assessed_at",
        ]
        brief_fields = ["id", "threat", "valid_from", "valid_to", "risk_score"]
