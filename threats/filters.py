"""Filters of the threat register: one FilterSet per model, for the API and the list pages."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from commitments.models import Phase
from missions.choices import RiskLevel
from missions.filters import AreaWithinFilter, MissionFilter

from .choices import PerpetratorCategory, ThreatStatus, Trend, ViolenceType
from .models import CommunityAtRisk, ResponseAction, Threat, ThreatAssessment


class ThreatFilterSet(django_filters.FilterSet):
    mission = MissionFilter()
    area = AreaWithinFilter(field_name="areas")
    status = django_filters.MultipleChoiceFilter(choices=ThreatStatus.choices, label=_("Status"))
    threat_type = django_filters.MultipleChoiceFilter(choices=ViolenceType.choices, label=_("Type"))
    perpetrator_category = django_filters.MultipleChoiceFilter(
        choices=PerpetratorCategory.choices, label=_("Perpetrator category")
    )
    is_host_state_perpetrator = django_filters.BooleanFilter(label=_("Host-state perpetrator"))
    # the annotation of ThreatQuerySet.with_risk_level(), which the viewset applies
    risk_level = django_filters.MultipleChoiceFilter(
        choices=RiskLevel.choices, label=_("Risk level")
    )
    trend = django_filters.ChoiceFilter(choices=Trend.choices, label=_("Trend"))
    phase = django_filters.ModelChoiceFilter(queryset=Phase.objects.all(), label=_("Phase"))
    identified_on = django_filters.DateFromToRangeFilter(label=_("Identified between"))
    next_review_on = django_filters.DateFromToRangeFilter(label=_("Next review between"))

    class Meta:
        model = Threat
        # likelihood and impact: a cell of the risk matrix
        fields = ["owner", "likelihood", "impact"]


class CommunityAtRiskFilterSet(django_filters.FilterSet):
    mission = MissionFilter()
    area = AreaWithinFilter()

    class Meta:
        model = CommunityAtRisk
        fields = ["threat", "group"]


class ResponseActionFilterSet(django_filters.FilterSet):
    mission = MissionFilter(field_name="threat__mission")

    class Meta:
        model = ResponseAction
        fields = ["threat", "tier", "phase", "component", "status"]


class ThreatAssessmentFilterSet(django_filters.FilterSet):
    mission = MissionFilter()
    valid_from = django_filters.DateFromToRangeFilter(label=_("In force from"))

    class Meta:
        model = ThreatAssessment
        fields = ["threat"]
