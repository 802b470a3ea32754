"""The entry grid as a form: one number input per figure, and a posted grid saved as drafts
and submitted through the observation services."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from core.choices import SexAge
from indicators.models import Indicator, Observation
from indicators.services.observations import (
    observation_create,
    observation_submit,
    observation_update_values,
)

from .entry import RATIO_METHODS, Entry, Grid, Place, figures_of, groups_of

if TYPE_CHECKING:
    from accounts.models import User

FIGURE_LABELS = {
    "value": "",
    "numerator": gettext_lazy("numerator"),
    "denominator": gettext_lazy("denominator"),
}


def _initial(observation: Observation | None, group: str, figure: str) -> Decimal | None:
    if observation is None:
        return None
    for value in observation.values.all():
        if value.disaggregation == group:
            found: Decimal | None = getattr(value, figure)
            return None if found is None else found.normalize()
    return None


def _label(indicator: Indicator, place: Place, group: str, figure: str) -> str:
    parts = [indicator.code, indicator.name, place.name]
    if group != SexAge.TOTAL:
        parts.append(str(SexAge(group).label))
    if FIGURE_LABELS[figure]:
        parts.append(str(FIGURE_LABELS[figure]))
    return ", ".join(parts)


class GridForm(forms.Form):
    """One number input per figure of every entry; locked entries' inputs are disabled.

    Each input carries its row and column in the grid, for the arrow keys to move by.
    """

    def __init__(self, *args: Any, grid: Grid, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.grid = grid
        row = 0
        for indicator in grid.indicators:
            figures = figures_of(indicator)
            for group in groups_of(indicator):
                for column, place in enumerate(grid.places):
                    entry = grid.entry(indicator, place)
                    for index, figure in enumerate(figures):
                        self._add(entry, group, figure, row, column * len(figures) + index)
                row += 1

    def _add(self, entry: Entry, group: str, figure: str, row: int, column: int) -> None:
        name = f"c-{entry.key}-{group}-{figure}"
        entry.names.append((name, group, figure))
        attrs = {
            "step": "any",
            "min": "0",
            "inputmode": "decimal",
            "data-entry": entry.key,
            "data-group": group,
            "data-figure": figure,
            "data-row": str(row),
            "data-col": str(column),
        }
        self.fields[name] = forms.DecimalField(
            label=_label(entry.indicator, entry.place, group, figure),
            required=False,
            min_value=Decimal(0),
            max_digits=14,
            decimal_places=4,
            initial=_initial(entry.observation, group, figure),
            disabled=not entry.is_editable,
            widget=forms.NumberInput(attrs=attrs),
        )

    def blocks(self) -> list[dict[str, Any]]:
        """The grid as the template lays it out: per indicator, a row per group with a cell
        per place (its inputs), and the entries for the state row."""
        laid = []
        for indicator in self.grid.indicators:
            entries = [self.grid.entry(indicator, place) for place in self.grid.places]
            rows = [
                {
                    "group": group,
                    "label": "" if group == SexAge.TOTAL else SexAge(group).label,
                    "cells": [
                        [self[name] for name, g, _f in entry.names if g == group]
                        for entry in entries
                    ],
                }
                for group in groups_of(indicator)
            ]
            laid.append(
                {
                    "indicator": indicator,
                    "ratio": indicator.method in RATIO_METHODS,
                    "rows": rows,
                    "entries": entries,
                }
            )
        return laid

    def values_of(self, entry: Entry) -> dict[str, dict[str, Decimal | None]]:
        """The figures posted for an entry, by group, leaving out groups with nothing given."""
        values: dict[str, dict[str, Decimal | None]] = {}
        for name, group, figure in entry.names:
            given = self.cleaned_data.get(name)
            if given is not None:
                values.setdefault(group, {})[figure] = given
        return values

    def changed_entries(self) -> Iterator[tuple[Entry, dict[str, dict[str, Decimal | None]]]]:
        changed = set(self.changed_data)
        for entry in self.grid.entries.values():
            if entry.is_editable and any(name in changed for name, _g, _f in entry.names):
                yield entry, self.values_of(entry)


def _attach_error(form: GridForm, entry: Entry, error: ValidationError) -> None:
    # on the entry's first input, so the message stands beside the figures it is about
    name = entry.names[0][0]
    form.add_error(name, error.messages)


def save_grid(*, form: GridForm, by: User) -> int:
    """Save every changed entry of a valid grid form as a draft; return how many were saved.

    An entry the services refuse keeps its error on the form; the others are saved.
    """
    saved = 0
    grid = form.grid
    for entry, values in form.changed_entries():
        if not values:
            continue  # emptied inputs: nothing to log (a draft is deleted in the API)
        try:
            if entry.observation is None:
                entry.observation = observation_create(
                    by=by,
                    indicator=entry.indicator,
                    mission=grid.mission,
                    area=entry.place.area,
                    period_start=grid.period.start,
                    period_end=grid.period.end,
                    values=_as_input(values),
                )
            else:
                entry.observation = observation_update_values(
                    observation=entry.observation, by=by, values=_as_input(values)
                )
        except ValidationError as error:
            _attach_error(form, entry, error)
            continue
        saved += 1
    return saved


def _as_input(values: Mapping[str, Mapping[str, Decimal | None]]) -> dict[str, Any]:
    return {group: dict(figures) for group, figures in values.items()}


def submit_grid(*, grid: Grid, by: User) -> tuple[int, list[str]]:
    """Submit every draft or returned observation of the grid; return how many were
    submitted and the messages of those refused."""
    submitted, refused = 0, []
    for observation in grid.editable_observations():
        try:
            observation_submit(observation=observation, by=by)
        except ValidationError as error:
            refused.append(f"{observation}: {' '.join(error.messages)}")
            continue
        submitted += 1
    return submitted, refused
