"""The API's representations of the A4P reference frame and of commitment implementations."""

from __future__ import annotations

from api.serializers import ServiceModelSerializer

from .models import (
    CommitmentAction,
    CommitmentImplementation,
    KeyElement,
    Paragraph,
    Phase,
    PriorityArea,
    Tier,
)

STAMPS = ["created_at", "updated_at"]


class PriorityAreaSerializer(ServiceModelSerializer):
    class Meta:
        model = PriorityArea
        fields = ["id", "number", "code", "label", *STAMPS]
        brief_fields = ["id", "number", "label"]


class ParagraphSerializer(ServiceModelSerializer):
    class Meta:
        model = Paragraph
        fields = ["id", "number", "label", "summary", "priority_area", *STAMPS]
        brief_fields = ["id", "number", "label"]


class KeyElementSerializer(ServiceModelSerializer):
    class Meta:
        model = KeyElement
        fields = ["id", "paragraph", "number", "code", "label", "description", *STAMPS]
        brief_fields = ["id", "paragraph", "number", "label"]


class TierSerializer(ServiceModelSerializer):
    class Meta:
        model = Tier
        fields = ["id", "number", "label", "description", *STAMPS]
        brief_fields = ["id", "number", "label"]


class PhaseSerializer(ServiceModelSerializer):
    class Meta:
        model = Phase
        fields = ["id", "number", "label", "description", *STAMPS]
        brief_fields = ["id", "number", "label"]


class CommitmentImplementationSerializer(ServiceModelSerializer):
    class Meta:
        model = CommitmentImplementation
        fields = [
            "id",
            "mission",
            "key_element",
            "status",
            "summary",
            "responsible_component",
            "due_on",
            "evidence",
            "last_reviewed_on",
            "reviewed_by",
            *STAMPS,
        ]
        read_only_fields = ["reviewed_by"]
        brief_fields = ["id", "mission", "key_element", "status"]
        create_only_fields = ["mission", "key_element"]


class CommitmentActionSerializer(ServiceModelSerializer):
    class Meta:
        model = CommitmentAction
        fields = [
            "id",
            "implementation",
            "description",
            "component",
            "status",
            "due_on",
            "done_on",
            *STAMPS,
        ]
        brief_fields = ["id", "implementation", "status", "due_on"]
        create_only_fields = ["implementation"]
