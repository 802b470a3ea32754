"""The API's representation of protection activities and the people they reached."""

from __future__ import annotations

from api.serializers import ServiceModelSerializer

from .models import ProtectionActivity


class ProtectionActivitySerializer(ServiceModelSerializer):
    class Meta:
        model = ProtectionActivity
        fields = [
            "id",
            "mission",
            "area",
            "activity_type",
            "title",
            "description",
            "tier",
            "phase",
            "component",
            "started_on",
            "ended_on",
            "threat",
            "women",
            "men",
            "girls",
            "boys",
            "logged_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["logged_by"]
        brief_fields = ["id", "mission", "area", "activity_type", "title", "started_on"]
        create_only_fields = ["mission"]
