"""Filters of the audit trail."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from missions.filters import MissionFilter

from .choices import AuditAction
from .models import AuditEntry


class AuditEntryFilterSet(django_filters.FilterSet):
    mission = MissionFilter()
    action = django_filters.MultipleChoiceFilter(choices=AuditAction.choices, label=_("Action"))
    model = django_filters.CharFilter(
        method="filter_model", label=_("Record type, as app.model (threats.threat)")
    )
    at = django_filters.DateTimeFromToRangeFilter(label=_("Between"))

    class Meta:
        model = AuditEntry
        fields = ["object_id", "actor", "request_id"]

    def filter_model(
        self, queryset: QuerySet[AuditEntry], name: str, value: str
    ) -> QuerySet[AuditEntry]:
        app_label, _dot, model = value.lower().partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


class DeletedRecordFilterSet(django_filters.FilterSet):
    mission = MissionFilter()
    since = django_filters.IsoDateTimeFilter(
        field_name="at", lookup_expr="gte", label=_("Deleted at or after")
    )
    model = django_filters.CharFilter(
        method="filter_model", label=_("Record type, as app.model (threats.threat)")
    )

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    filter_model = AuditEntryFilterSet.filter_model
