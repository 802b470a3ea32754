"""The POC advisers' validation queue: a mission's observations by state, and the workflow steps
taken on one or several of them at once, each through its service."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
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
    data = query.copy() if hasattr(query, "copy") else dict(query)
    if not data.get("state"):
        data["state"] = ObservationState.SUBMITTED
    filterset = ObservationFilterSet(data, queryset=reviewable(user=user, mission=mission))
    for name in list(filterset.form.fields):
        if name not in QUEUE_FILTERS:
            del filterset.form.fields[name]
    fields = filterset.form.fields
    fields["indicator"].queryset = Indicator.objects.filter(source=DataSource.MANUAL)
    fields["area"].queryset = Area.objects.for_mission(mission).order_by("name")
    fields["state"].choices = [
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

    def __init__(self, *args: Any, queryset: QuerySet[Observation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["observations"].queryset = queryset
        data = self.data
        one = data.get("one", "") if data else ""
        if one:  # a row's own button: "<step>:<observation id>"
            step, _sep, pk = one.partition(":")
            self.data = data.copy()
            self.data.setlist("observations", [pk])
            self.data["action"] = step

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


def _step(action: str) -> Callable[..., Observation]:
    if action == VALIDATE:
        return lambda *, observation, by, reason: observation_validate(observation=observation, by=by)
    service = observation_return if action == RETURN else observation_reopen
    return lambda *, observation, by, reason: service(observation=observation, by=by, reason=reason)


def review(*, form: ReviewForm, by: User) -> Outcome:
    """Take the form's step on each picked observation; a refusal stops only that one."""
    outcome = Outcome()
    step = _step(form.cleaned_data["action"])
    for observation in form.cleaned_data["observations"]:
        try:
            step(observation=observation, by=by, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            outcome.refused.append(f"{observation}: {' '.join(error.messages)}")
            continue
        outcome.done += 1
    return outcome
