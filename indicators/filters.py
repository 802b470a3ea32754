"""Filters of the indicator catalogue, targets, observations and rollups."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from commitments.models import KeyElement, Tier
from core.choices import SexAge
from missions.filters import AreaWithinFilter, MissionFilter

from .choices import AreaLevel, DataSource, Frequency, ObservationState, PeriodKind, TargetStatus
from .models import Indicator, IndicatorTarget, Observation, Rollup


class IndicatorFilterSet(django_filters.FilterSet):
    tier = django_filters.ModelChoiceFilter(queryset=Tier.objects.all(), label=_("Tier"))
    key_element = django_filters.ModelChoiceFilter(
        queryset=KeyElement.objects.all(), label=_("A4P key element")
    )
    source = django_filters.ChoiceFilter(choices=DataSource.choices, label=_("Source"))
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices, label=_("Frequency"))

    class Meta:
        model = Indicator
        fields = ["code", "is_active"]


class IndicatorTargetFilterSet(django_filters.FilterSet):
    mission = MissionFilter()
    period_start = django_filters.DateFromToRangeFilter(label=_("Starting between"))

    class Meta:
        model = IndicatorTarget
        fields = ["indicator"]


class ObservationFilterSet(django_filters.FilterSet):
    mission = MissionFilter()
    area = AreaWithinFilter()
    # a column of the row itself never repeats a row: no DISTINCT over every column of a page
    state = django_filters.MultipleChoiceFilter(
        choices=ObservationState.choices, label=_("State"), distinct=False
    )
    period_start = django_filters.DateFromToRangeFilter(label=_("Period starting between"))
    tier = django_filters.ModelChoiceFilter(
        field_name="indicator__tier", queryset=Tier.objects.all(), label=_("Tier")
    )
    updated_at = django_filters.DateTimeFromToRangeFilter(label=_("Changed between"))

    class Meta:
        model = Observation
        fields = ["indicator", "logged_by"]


class RollupFilterSet(django_filters.FilterSet):
    mission = MissionFilter()
    area = django_filters.NumberFilter(
        field_name="area_key", label=_("Area (0 for the whole mission)")
    )
    level = django_filters.ChoiceFilter(choices=AreaLevel.choices, label=_("Level"))
    period = django_filters.ChoiceFilter(choices=PeriodKind.choices, label=_("Period"))
    period_start = django_filters.DateFromToRangeFilter(label=_("Period starting between"))
    disaggregation = django_filters.ChoiceFilter(choices=SexAge.choices, label=_("Sex and age"))
    status = django_filters.MultipleChoiceFilter(
        choices=TargetStatus.choices, label=_("Status"), distinct=False
    )
    tier = django_filters.ModelChoiceFilter(
        field_name="indicator__tier", queryset=Tier.objects.all(), label=_("Tier")
    )

    class Meta:
        model = Rollup
        fields = ["indicator", "breakdown"]
