"""Forms of the threat register. Plain forms built from the models' own fields (labels, choices,
validators): the services validate and save, so no form touches a model instance."""

from __future__ import annotations

import copy
from typing import Any, ClassVar

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from missions.models import Area, Mission
from threats.choices import ThreatStatus
from threats.models import CommunityAtRisk, ResponseAction, Threat

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})

DESCRIPTIVE_FIELDS = [
    "title",
    "description",
    "threat_type",
    "perpetrator_category",
    "perpetrator_actor",
    "status",
    "identified_on",
    "next_review_on",
    "areas",
    "owner",
    "warning_signs",
]
SCORE_FIELDS = ["likelihood", "impact", "trend", "phase"]
COMMUNITY_FIELDS = ["name", "group", "area", "women", "men", "girls", "boys"]
RESPONSE_ACTION_FIELDS = ["tier", "phase", "description", "component", "lead", "status", "due_on"]


def _model_fields(model: type[Any], names: list[str]) -> dict[str, forms.Field]:
    widgets: dict[str, forms.Widget | type[forms.Widget]] = {
        name: DATE if name.endswith("_on") else TEXT
        for name in names
        if name.endswith("_on") or name in {"description", "warning_signs"}
    }
    fields: dict[str, forms.Field] = forms.fields_for_model(model, fields=names, widgets=widgets)
    for name in ("likelihood", "impact"):
        if name in fields:
            fields[name].error_messages["invalid_choice"] = _("Choose a score from 1 to 5.")
    return fields


class ModelFieldsForm(forms.Form):
    """A form with a model's own fields (`model_fields`) before those it declares."""

    model_fields: ClassVar[dict[str, forms.Field]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {**copy.deepcopy(self.model_fields), **self.fields}


class MissionForm(ModelFieldsForm):
    """A form whose choices of areas and people are those of one mission."""

    def __init__(self, *args: Any, mission: Mission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mission = mission
        for name in ("areas", "area"):
            if name in self.fields:
                field = self.fields[name]
                assert isinstance(field, forms.ModelChoiceField)
                field.queryset = Area.objects.for_mission(mission).order_by("name")
        if "owner" in self.fields:
            owner = self.fields["owner"]
            assert isinstance(owner, forms.ModelChoiceField)
            owner.queryset = (
                User.objects.filter(memberships__mission=mission).distinct().order_by("username")
            )


def _register_statuses(field: forms.Field) -> None:
    # A threat is resolved by closing it (with its closing date), never by picking a status.
    assert isinstance(field, forms.ChoiceField)
    field.choices = [
        (value, label) for value, label in ThreatStatus.choices if value != ThreatStatus.RESOLVED
    ]


class ThreatCreateForm(MissionForm):
    """A new threat: what, who, where, and its first scoring."""

    model_fields = _model_fields(
        Threat, DESCRIPTIVE_FIELDS[:5] + SCORE_FIELDS + DESCRIPTIVE_FIELDS[5:]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _register_statuses(self.fields["status"])


class ThreatEditForm(MissionForm):
    """A threat's description; its scores change by re-scoring, its end by closing."""

    model_fields = _model_fields(Threat, DESCRIPTIVE_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _register_statuses(self.fields["status"])


class ThreatRescoreForm(ModelFieldsForm):
    """A re-scoring: it enters the threat's risk history from the day it takes effect."""

    model_fields = _model_fields(Threat, SCORE_FIELDS)
    assessed_on = forms.DateField(
        label=capfirst(_("in force from")),
        required=False,
        widget=DATE,
        help_text=_("Leave empty for today. It may not precede the assessment in force."),
    )


class ThreatCloseForm(forms.Form):
    closed_on = forms.DateField(
        label=capfirst(_("closed on")),
        required=False,
        widget=DATE,
        help_text=_("The day it was no longer assessed as a threat. Leave empty for today."),
    )


class CommunityForm(MissionForm):
    model_fields = _model_fields(CommunityAtRisk, COMMUNITY_FIELDS)


class ResponseActionForm(ModelFieldsForm):
    model_fields = _model_fields(ResponseAction, RESPONSE_ACTION_FIELDS)
