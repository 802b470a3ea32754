"""The API's representation of the signed-in user's own profile."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from missions.models import Membership

from .models import User


class OwnMembershipSerializer(serializers.ModelSerializer[Membership]):
    mission_acronym = serializers.CharField(source="mission.acronym", read_only=True)

    class Meta:
        model = Membership
        fields = ["mission", "mission_acronym", "role"]


class ProfileSerializer(serializers.ModelSerializer[User]):
    memberships: Any = OwnMembershipSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "global_role",
            "is_superuser",
            "memberships",
        ]
        read_only_fields = fields
