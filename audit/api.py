"""API viewsets of the audit trail and of the deletions it records: read-only, through the
need-to-know selector."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from api.viewsets import CursorReadOnlyViewSet

from .choices import AuditAction
from .filters import AuditEntryFilterSet, DeletedRecordFilterSet
from .models import AuditEntry
from .selectors import audit_entries_visible_to
from .serializers import AuditEntrySerializer, DeletedRecordSerializer


class AuditTrailViewSet(CursorReadOnlyViewSet):
    def scope(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # a restricted record's entries follow its need-to-know, as the selector decides
        return audit_entries_visible_to(self.request.user).filter(pk__in=queryset.values("pk"))


class AuditEntryViewSet(AuditTrailViewSet):
    queryset = AuditEntry.objects.all()
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilterSet
    ordering_fields = ["id", "at"]
    ordering = ["-id"]


class DeletedRecordViewSet(AuditTrailViewSet):
    """The records deleted since an instant (`?since=`), for a mirror to delete in turn: the
    deletions of the audit trail, with the trail's need-to-know."""

    queryset = AuditEntry.objects.filter(action=AuditAction.DELETE)
    serializer_class = DeletedRecordSerializer
    filterset_class = DeletedRecordFilterSet
    ordering_fields = ["at", "id"]
    ordering = ["at", "id"]
