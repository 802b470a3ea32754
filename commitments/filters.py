"""Filters of the A4P reference frame and of each mission's commitment implementation."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.choices import Component
from missions.filters import MissionFilter

from .choices import ActionStatus, ImplementationStatus
from .models import CommitmentAction, CommitmentImplementation, KeyElement, Paragraph


class ParagraphFilterSet(django_filters.FilterSet):
    class Meta:
        model = Paragraph
        fields = ["priority_area", "number"]


class KeyElementFilterSet(django_filters.FilterSet):
    class Meta:
        model = KeyElement
        fields = ["paragraph", "code"]


class CommitmentImplementationFilterSet(django_filters.FilterSet):
    mission = MissionFilter()
    status = django_filters.MultipleChoiceFilter(
        choices=ImplementationStatus.choices, label=_("Status")
    )
    paragraph = django_filters.ModelChoiceFilter(
        field_name="key_element__paragraph",
        queryset=Paragraph.objects.all(),
        label=_("A4P paragraph"),
    )
    due_on = django_filters.DateFromToRangeFilter(label=_("Due between"))

    class Meta:
        model = CommitmentImplementation
        fields = ["key_element", "responsible_component"]


class CommitmentActionFilterSet(django_filters.FilterSet):
    mission = MissionFilter(field_name="implementation__mission")
    status = django_filters.MultipleChoiceFilter(choices=ActionStatus.choices, label=_("Status"))
    component = django_filters.ChoiceFilter(choices=Component.choices, label=_("Component"))
    due_on = django_filters.DateFromToRangeFilter(label=_("Due between"))

    class Meta:
        model = CommitmentAction
        fields = ["implementation"]
