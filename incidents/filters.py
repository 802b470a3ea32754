"""Filters of incidents, for the API and the list pages."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from missions.filters import AreaWithinFilter, MissionFilter
from threats.choices import PerpetratorCategory, ViolenceType

from .choices import VerificationStatus
from .models import GraveViolation, Incident


class IncidentFilterSet(django_filters.FilterSet):
    mission = MissionFilter()
    area = AreaWithinFilter()
    occurred_on = django_filters.DateFromToRangeFilter(label=_("Occurred between"))
    incident_type = django_filters.MultipleChoiceFilter(
        choices=ViolenceType.choices, label=_("Type")
    )
    perpetrator_category = django_filters.MultipleChoiceFilter(
        choices=PerpetratorCategory.choices, label=_("Perpetrator category")
    )
    is_host_state_perpetrator = django_filters.BooleanFilter(label=_("Host-state perpetrator"))
    verification_status = django_filters.MultipleChoiceFilter(
        choices=VerificationStatus.choices, label=_("Verification")
    )
    grave_violation = django_filters.ModelChoiceFilter(
        field_name="grave_violations",
        queryset=GraveViolation.objects.all(),
        label=_("Grave violation against children"),
        distinct=True,
    )
    updated_at = django_filters.DateTimeFromToRangeFilter(label=_("Changed between"))

    class Meta:
        model = Incident
        fields = ["threat", "is_restricted", "source_type"]
