"""Filters of early-warning alerts, for the API and the list pages."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from missions.filters import AreaWithinFilter, MissionFilter

from .choices import AlertOutcome, AlertSource, Severity
from .models import Alert


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
    updated_at = django_filters.DateTimeFromToRangeFilter(label=_("Changed between"))

    class Meta:
        model = Alert
        fields = ["threat", "response_tier"]
