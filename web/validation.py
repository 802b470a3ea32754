"""The POC advisers' validation queue: a mission's observations by state, and the workflow steps
taken on one or several of them at once, each through its service."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from indicators.choices import DataSource, ObservationState
from indicators.filters import ObservationFilterSet
from indicators.models import Indicator, Observation
from indicators.services.observations import (
    observation_reopen,
    observation_return,
    observation_validate,
)
from missions.models import Area, Mission
from missions.permissions import Action

if TYPE_CHECKING:
    from accounts.models import User

# the filters of the API's FilterSet that the queue offers
QUEUE_FILTERS = ("indicator", "area", "state", "period_start")
VALIDATE, RETURN, REOPEN = "validate", "return", "reopen"


def reviewable(*, user: User, mission: Mission) -> QuerySet[Observation]:
    """The mission's observations the user may validate, with what the queue shows of them."""
    return (
        Observation.objects.for_user(user, Action.VALIDATE)
        .for_mission(mission)
        .select_related("indicator", "area", "mission", "logged_by")
        .prefetch_related("values")
        .order_by("period_start", "indicator__code", "area__name", "pk")
    )


def queue_filters(
    *, query: Mapping[str, Any], user: User, mission: Mission
) -> ObservationFilterSet:
    """The API's FilterSet over the reviewable observations, submitted ones unless asked for
    another state; its choices are the mission's own areas and the hand-logged indicators."""
    data = query.copy() if isinstance(query, QueryDict) else dict(query)
    if not data.get("state"):
        data["state"] = ObservationState.SUBMITTED
    filterset = ObservationFilterSet(data, queryset=reviewable(user=user, mission=mission))
    for name in list(filterset.form.fields):
        if name not in QUEUE_FILTERS:
            del filterset.form.fields[name]
    indicator, area, state = (
        filterset.form.fields[name] for name in ("indicator", "area", "state")
    )
    assert isinstance(indicator, forms.ModelChoiceField)
    assert isinstance(area, forms.ModelChoiceField)
    assert isinstance(state, forms.ChoiceField)
    indicator.queryset = Indicator.objects.filter(source=DataSource.MANUAL)
    area.queryset = Area.objects.for_mission(mission).order_by("name")
    state.choices = [
        (ObservationState.SUBMITTED, ObservationState.SUBMITTED.label),
        (ObservationState.VALIDATED, ObservationState.VALIDATED.label),
    ]
    return filterset


class ReviewForm(forms.Form):
    """Observations picked in the queue, the step to take, and the comment it may need."""

    observations = forms.ModelMultipleChoiceField(
        queryset=Observation.objects.none(), label=_("Observations"), required=False
    )
    action = forms.ChoiceField(
        choices=[(VALIDATE, _("Validate")), (RETURN, _("Return")), (REOPEN, _("Reopen"))]
    )
    reason = forms.CharField(
        label=_("Comment (needed to return or reopen)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, data: QueryDict | None = None, *, queryset: QuerySet[Observation], **kwargs: Any
    ) -> None:
        one = data.get("one", "") if data is not None else ""
        if data is not None and one:  # a row's own button: "<step>:<observation id>"
            step, _sep, pk = one.partition(":")
            data = data.copy()
            data.setlist("observations", [pk])
            data["action"] = step
        super().__init__(data, **kwargs)
        observations = self.fields["observations"]
        assert isinstance(observations, forms.ModelMultipleChoiceField)
        observations.queryset = queryset

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("observations"):
            raise ValidationError(_("Pick at least one observation."))
        if cleaned.get("action") in (RETURN, REOPEN) and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say what needs correcting, or why."))
        return cleaned


@dataclass
class Outcome:
    done: int = 0
    refused: list[str] = field(default_factory=list)


def _take(action: str, *, observation: Observation, by: User, reason: str) -> Observation:
    if action == VALIDATE:
        return observation_validate(observation=observation, by=by)
    if action == RETURN:
        return observation_return(observation=observation, by=by, reason=reason)
    return observation_reopen(observation=observation, by=by, reason=reason)


def review(*, form: ReviewForm, by: User) -> Outcome:
    """Take the form's step on each picked observation; a refusal stops only that one."""
    outcome = Outcome()
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    for observation in form.cleaned_data["observations"]:
        try:
            _take(action, observation=observation, by=by, reason=reason)
        except ValidationError as error:
            outcome.refused.append(f"{observation}: {' '.join(error.messages)}")
            continue
        outcome.done += 1
    return outcome
