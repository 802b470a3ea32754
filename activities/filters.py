"""Filters of protection activities, for the API and the list pages."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.choices import Component
from missions.filters import AreaWithinFilter, MissionFilter

from .choices import ActivityType
from .models import ProtectionActivity


class ProtectionActivityFilterSet(django_filters.FilterSet):
    mission = MissionFilter()
    area = AreaWithinFilter()
    activity_type = django_filters.MultipleChoiceFilter(
        choices=ActivityType.choices, label=_("Type")
    )
    component = django_filters.MultipleChoiceFilter(choices=Component.choices, label=_("Component"))
    started_on = django_filters.DateFromToRangeFilter(label=_("Started between"))
    updated_at = django_filters.DateTimeFromToRangeFilter(label=_("Changed between"))

    class Meta:
        model = ProtectionActivity
        fields = ["tier", "phase", "threat"]
