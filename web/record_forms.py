"""Forms of incidents and alerts. Each checks its fields; the write, with the rules that span
fields and records, is the service's (`incidents.services`, `alerts.services`).

Plain forms, not ModelForms: a ModelForm writes the submitted values into the instance while it
validates, and the services must see the record as it was to audit the change and to refresh
the figures of where and when it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from alerts.choices import AlertOutcome
from alerts.models import Alert
from commitments.models import Tier
from incidents.choices import CASUALTY_GROUPS, Harm, casualty_field
from incidents.models import GraveViolation, Incident
from missions.models import Area
from threats.models import Threat

if TYPE_CHECKING:
    from accounts.models import User
    from missions.models import Mission

CASUALTY_FIELDS = [casualty_field(harm, group) for harm in Harm for group in CASUALTY_GROUPS]

INCIDENT_FIELDS = [
    "occurred_on",
    "ended_on",
    "occurred_at",
    "date_precision",
    "area",
    "location_name",
    "latitude",
    "longitude",
    "location_precision",
    "incident_type",
    "perpetrator_category",
    "perpetrator_actor",
    "description",
    "people_displaced",
    *CASUALTY_FIELDS,
    "grave_violations",
    "verification_status",
    "source_type",
    "source_reliability",
    "is_restricted",
    "threat",
]
ALERT_FIELDS = ["area", "source", "severity", "summary", "threat", "received_at"]

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# a browser's date-time picker posts ISO 8601, which Django's DateTimeField reads in the
# current time zone: the mission's, which the pages activate
MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
COUNT = forms.NumberInput(attrs={"min": 0, "inputmode": "numeric", "class": "count"})
TEXT = forms.Textarea(attrs={"rows": 4})


def _mission_choices(form: forms.Form, *, mission: Mission, user: User) -> None:
    """Areas and threats of this mission only, among those the user may see."""
    form.fields["area"].queryset = Area.objects.visible_to(user).filter(mission=mission)  # type: ignore[attr-defined]  # a ModelChoiceField
    form.fields["threat"].queryset = Threat.objects.for_user(user).filter(mission=mission)  # type: ignore[attr-defined]  # as above


class IncidentForm(forms.Form):
    """An incident as a person logs it: when, where, what, by whom, whom it harmed, the source.

    Never a victim's name: the form has no field for one, and the description says so.
    """

    def __init__(
        self,
        *args: Any,
        mission: Mission,
        user: User,
        incident: Incident | None = None,
        may_lift_restriction: bool = True,
        **kwargs: Any,
    ) -> None:
        if incident is not None:
            kwargs.setdefault("initial", model_to_dict(incident, fields=INCIDENT_FIELDS))
        super().__init__(*args, **kwargs)
        self.fields.update(
            forms.fields_for_model(
                Incident,
                fields=INCIDENT_FIELDS,
                widgets={
                    "occurred_on": DATE,
                    "ended_on": DATE,
                    "occurred_at": TIME,
                    "description": TEXT,
                    "grave_violations": forms.CheckboxSelectMultiple,
                    **{name: COUNT for name in CASUALTY_FIELDS},
                },
            )
        )
        _mission_choices(self, mission=mission, user=user)
        self.fields["grave_violations"].queryset = GraveViolation.objects.all()  # type: ignore[attr-defined]  # a ModelMultipleChoiceField
        for name in CASUALTY_FIELDS:
            # an empty cell is no one, as on the paper form
            self.fields[name].required = False
        self.lifting_restricted = (
            incident is not None and incident.is_restricted and not may_lift_restriction
        )
        if self.lifting_restricted:
            # only those cleared for restricted records may lift the restriction
            self.fields["is_restricted"].disabled = True
            self.fields["is_restricted"].help_text = _(
                "Only those who may see restricted records can lift the restriction."
            )

    def casualty_grid(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Rows of the casualty grid: each harm with its field for every sex-age group."""
        return [
            (str(harm.label), [self[casualty_field(harm, group)] for group in CASUALTY_GROUPS])
            for harm in Harm
        ]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in INCIDENT_FIELDS if name not in CASUALTY_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in CASUALTY_FIELDS:
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 0
        return cleaned

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["grave_violations"] = list(data["grave_violations"])
        if self.lifting_restricted:
            data.pop("is_restricted")
        return data


class AlertForm(forms.Form):
    """An early-warning alert as the JOC receives it."""

    def __init__(
        self, *args: Any, mission: Mission, user: User, alert: Alert | None = None, **kwargs: Any
    ) -> None:
        fields = ALERT_FIELDS if alert is None else [*ALERT_FIELDS, "outcome_notes"]
        if alert is not None:
            kwargs.setdefault("initial", model_to_dict(alert, fields=fields))
        super().__init__(*args, **kwargs)
        self.fields.update(
            forms.fields_for_model(
                Alert,
                fields=fields,
                widgets={"received_at": MOMENT, "summary": TEXT, "outcome_notes": TEXT},
            )
        )
        _mission_choices(self, mission=mission, user=user)
        self.fields["received_at"].help_text = _("In the mission's time zone (%(zone)s).") % {
            "zone": mission.time_zone
        }


class AcknowledgeForm(forms.Form):
    acknowledged_at = forms.DateTimeField(
        label=_("Acknowledged at"),
        required=False,
        widget=MOMENT,
        help_text=_("Leave empty for now."),
    )


class ResponseForm(forms.Form):
    """The response to an alert as it now stands. Field names are the alert's own, so the
    service's errors land beside the field they are about."""

    response_tier = forms.ModelChoiceField(
        label=_("Response tier"), queryset=Tier.objects.all(), empty_label=None
    )
    response_decided = forms.CharField(label=_("Response decided"), widget=TEXT)
    deployed_at = forms.DateTimeField(label=_("Deployed at"), required=False, widget=MOMENT)
    arrived_at = forms.DateTimeField(label=_("Arrived at"), required=False, widget=MOMENT)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=AlertOutcome.choices, initial=AlertOutcome.PENDING
    )

    def __init__(self, *args: Any, alert: Alert, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "response_tier": alert.response_tier_id,
                "response_decided": alert.response_decided,
                "deployed_at": alert.deployed_at,
                "arrived_at": alert.arrived_at,
                "outcome": alert.outcome,
            },
        )
        super().__init__(*args, **kwargs)

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "tier": data["response_tier"],
            "decided": data["response_decided"],
            "deployed_at": data["deployed_at"],
            "arrived_at": data["arrived_at"],
            "outcome": data["outcome"],
        }
