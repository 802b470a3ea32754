"""API viewset of the audit trail: read-only, through the need-to-know selector."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from api.viewsets import CursorReadOnlyViewSet

from .filters import AuditEntryFilterSet
from .models import AuditEntry
from .selectors import audit_entries_visible_to
from .serializers import AuditEntrySerializer


class AuditEntryViewSet(CursorReadOnlyViewSet):
    queryset = AuditEntry.objects.all()
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilterSet
    ordering_fields = ["id", "at"]
    ordering = ["-id"]

    def scope(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # a restricted record's entries follow its need-to-know, as the selector decides
        return audit_entries_visible_to(self.request.user).filter(pk__in=queryset.values("pk"))
