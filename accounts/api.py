"""The signed-in user's own profile: who they are, their global role and missions."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics

from api.permissions import ReadOnlyTokenPermission

from .models import User
from .serializers import ProfileSerializer


@extend_schema(tags=["me"])
class ProfileView(generics.RetrieveAPIView[User]):
    serializer_class = ProfileSerializer
    permission_classes = [ReadOnlyTokenPermission]

    def get_object(self) -> Any:
        return User.objects.prefetch_related("memberships__mission").get(pk=self.request.user.pk)
