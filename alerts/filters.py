"""Filters of early-warning alerts, for the API and the list pages."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missions.filters import AreaWithinFilter, MissionFilter

from .choices import AlertOutcome, AlertSource, Severity
from .models import Alert
from .querysets import AlertQuerySet


class AlertFilterSet(django_filters.FilterSet):
    mission = MissionFilter()
    area = AreaWithinFilter()
    received_on = django_filters.DateFromToRangeFilter(label=_("Received between"))
    source = django_filters.MultipleChoiceFilter(choices=AlertSource.choices, label=_("Source"))
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices, label=_("Severity"))
    outcome = django_filters.MultipleChoiceFilter(choices=AlertOutcome.choices, label=_("Outcome"))
    acknowledged = django_filters.BooleanFilter(
        field_name="acknowledged_at", lookup_expr="isnull", exclude=True, label=_("Acknowledged")
    )
    past_standard = django_filters.BooleanFilter(
        method="filter_past_standard", label=_("Awaiting a response past the standard")
    )
    updated_at = django_filters.DateTimeFromToRangeFilter(label=_("Changed between"))

    class Meta:
        model = Alert
        fields = ["threat", "response_tier"]

    def filter_past_standard(
        self, queryset: AlertQuerySet, name: str, value: bool | None
    ) -> AlertQuerySet:
        late = queryset.past_standard(timezone.now())
        return late if value else queryset.exclude(pk__in=late.values("pk"))
