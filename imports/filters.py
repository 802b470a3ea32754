"""Filters of imports, for the API and the import pages."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from missions.filters import MissionFilter

from .choices import ImportStatus, Preset
from .models import IncidentImport


class IncidentImportFilterSet(django_filters.FilterSet):
    mission = MissionFilter()
    status = django_filters.MultipleChoiceFilter(choices=ImportStatus.choices, label=_("Status"))
    preset = django_filters.MultipleChoiceFilter(choices=Preset.choices, label=_("Preset"))
    created_at = django_filters.DateTimeFromToRangeFilter(label=_("Started between"))

    class Meta:
        model = IncidentImport
        fields = ["dry_run"]
