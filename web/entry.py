"""The JOC's period-entry grid: which hand-logged indicators × which places for which period,
the figures already logged there, and saving a posted grid through the observation services.

A period is one whole week, month, quarter or year (the indicators' frequency decides which);
a place is the whole mission or one of its areas, at the level the grid is shown for. Each
(indicator, place) pair is one observation; its inputs are its figures, one per sex-age group
where the indicator is disaggregated, a numerator and a denominator for a ratio.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.choices import SexAge
from indicators.choices import (
    CombinationMethod,
    DataSource,
    Disaggregation,
    Frequency,
    ObservationState,
    PeriodKind,
)
from indicators.models import Indicator, Observation, ObservationTransition
from indicators.rollups.calendar import period_bounds
from indicators.services.observations import (
    GROUPS,
    observation_create,
    observation_submit,
    observation_update_values,
)
from missions.choices import AreaKind
from missions.models import Area, Mission
from missions.permissions import Action

if TYPE_CHECKING:
    from accounts.models import User

PERIOD_OF: dict[str, str] = {
    Frequency.WEEKLY: PeriodKind.WEEK,
    Frequency.MONTHLY: PeriodKind.MONTH,
    Frequency.QUARTERLY: PeriodKind.QUARTER,
    Frequency.ANNUAL: PeriodKind.YEAR,
}
WHOLE_MISSION = "mission"
LEVELS = [
    (WHOLE_MISSION, gettext_lazy("The whole mission")),
    (AreaKind.SECTOR, gettext_lazy("Sectors")),
    (AreaKind.AOR, gettext_lazy("Areas of responsibility")),
    (AreaKind.LOCALITY, gettext_lazy("Localities")),
]
RATIO_METHODS = (CombinationMethod.RATIO, CombinationMethod.SHARE_WITHIN_STANDARD)
# the badge class (static/web/app.css) each state is shown with
STATE_BADGE: dict[str, str] = {
    ObservationState.DRAFT: "",
    ObservationState.SUBMITTED: "warn",
    ObservationState.VALIDATED: "ok",
    ObservationState.RETURNED: "bad",
}
FIGURE_LABELS = {
    "value": "",
    "numerator": gettext_lazy("numerator"),
    "denominator": gettext_lazy("denominator"),
}


class PeriodForm(forms.Form):
    """What the grid is shown for: a frequency, any day of the period, and the places' level."""

    frequency = forms.ChoiceField(label=gettext_lazy("Frequency"), choices=Frequency.choices)
    day = forms.DateField(
        label=gettext_lazy("A day of the period"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    level = forms.ChoiceField(label=gettext_lazy("Places"), choices=LEVELS, required=False)

    def __init__(self, *args: Any, frequencies: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        frequency = self.fields["frequency"]
        assert isinstance(frequency, forms.ChoiceField)
        frequency.choices = [(f, Frequency(f).label) for f in frequencies]


@dataclass(frozen=True)
class Period:
    frequency: str
    start: datetime.date
    end: datetime.date

    @classmethod
    def holding(cls, frequency: str, day: datetime.date) -> Period:
        start, end = period_bounds(PERIOD_OF[frequency], day)
        return cls(frequency, start, end)

    @property
    def previous(self) -> Period:
        return Period.holding(self.frequency, self.start - datetime.timedelta(days=1))

    @property
    def following(self) -> Period:
        return Period.holding(self.frequency, self.end + datetime.timedelta(days=1))


@dataclass(frozen=True)
class Place:
    """A column of the grid: an area, or the whole mission (key "0", as the rollups say)."""

    area: Area | None
    name: str

    @property
    def key(self) -> str:
        return "0" if self.area is None else str(self.area.pk)


@dataclass
class Entry:
    """One (indicator, place) pair of the grid: its observation if logged, its inputs' names."""

    indicator: Indicator
    place: Place
    observation: Observation | None
    names: list[tuple[str, str, str]] = field(default_factory=list)  # (name, group, figure)

    @property
    def key(self) -> str:
        return f"{self.indicator.pk}-{self.place.key}"

    @property
    def is_editable(self) -> bool:
        return self.observation is None or self.observation.is_editable

    @property
    def badge(self) -> str:
        return "" if self.observation is None else STATE_BADGE[self.observation.state]

    @property
    def return_comment(self) -> str:
        returns = getattr(self.observation, "returns", [])
        if self.observation is None or not self.observation.is_editable or not returns:
            return ""
        comment: str = returns[0].comment
        return comment


@dataclass
class Grid:
    mission: Mission
    period: Period
    level: str
    indicators: list[Indicator]
    places: list[Place]
    entries: dict[tuple[int, str], Entry]

    def entry(self, indicator: Indicator, place: Place) -> Entry:
        return self.entries[(indicator.pk, place.key)]

    def editable_observations(self) -> list[Observation]:
        return [
            e.observation
            for e in self.entries.values()
            if e.observation is not None and e.observation.is_editable
        ]


def groups_of(indicator: Indicator) -> list[str]:
    if indicator.disaggregation == Disaggregation.SEX_AGE:
        return list(GROUPS)
    return [SexAge.TOTAL]


def figures_of(indicator: Indicator) -> list[str]:
    return ["numerator", "denominator"] if indicator.method in RATIO_METHODS else ["value"]


def logged_indicators(frequency: str) -> list[Indicator]:
    """The active hand-logged indicators of one frequency, in code order."""
    return list(
        Indicator.objects.filter(
            source=DataSource.MANUAL, is_active=True, frequency=frequency
        ).order_by("code")
    )


def logged_frequencies() -> list[str]:
    """The frequencies some active hand-logged indicator has, shortest first."""
    present = set(
        Indicator.objects.filter(source=DataSource.MANUAL, is_active=True).values_list(
            "frequency", flat=True
        )
    )
    return [value for value in Frequency.values if value in present]


def default_level(mission: Mission, indicators: list[Indicator]) -> str:
    """The level these indicators were last logged at in the mission; sectors when never."""
    latest = (
        Observation.objects.for_mission(mission)
        .filter(indicator__in=indicators)
        .order_by("-period_start", "-pk")
        .values_list("area_id", "area__kind")
        .first()
    )
    if latest is None:
        return AreaKind.SECTOR
    return latest[1] or WHOLE_MISSION


def places(mission: Mission, level: str) -> list[Place]:
    if level == WHOLE_MISSION:
        return [Place(None, _("Whole mission"))]
    areas = Area.objects.for_mission(mission).filter(kind=level).order_by("name")
    return [Place(area, area.name) for area in areas]


def build_grid(*, user: User, mission: Mission, period: Period, level: str) -> Grid:
    """The grid of one period: three queries (indicators, places, observations with their
    figures and the comments they were returned with)."""
    indicators = logged_indicators(period.frequency)
    columns = places(mission, level)
    returns = ObservationTransition.objects.filter(to_state=ObservationState.RETURNED).order_by(
        "-at", "-pk"
    )
    logged = (
        Observation.objects.for_user(user, Action.LOG)
        .for_mission(mission)
        .filter(indicator__in=indicators, period_start=period.start)
        .prefetch_related("values", Prefetch("transitions", returns, to_attr="returns"))
    )
    if level == WHOLE_MISSION:
        logged = logged.filter(area__isnull=True)
    else:
        logged = logged.filter(area__kind=level)
    found = {(o.indicator_id, "0" if o.area_id is None else str(o.area_id)): o for o in logged}
    entries = {
        (indicator.pk, place.key): Entry(indicator, place, found.get((indicator.pk, place.key)))
        for indicator in indicators
        for place in columns
    }
    return Grid(mission, period, level, indicators, columns, entries)


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


def grid_for(*, query: Mapping[str, Any], user: User, mission: Mission) -> tuple[PeriodForm, Grid]:
    """The period form as asked (`?frequency=&day=&level=`) and the grid it names; anything
    missing or wrong falls back to today's period of the shortest frequency."""
    frequencies = logged_frequencies() or [Frequency.WEEKLY]
    form = PeriodForm(query or None, frequencies=frequencies)
    given = form.cleaned_data if form.is_valid() else {}
    frequency = given.get("frequency") or frequencies[0]
    period = Period.holding(frequency, given.get("day") or timezone.localdate())
    level = given.get("level") or default_level(mission, logged_indicators(frequency))
    shown = {"frequency": frequency, "day": period.start, "level": level}
    form = PeriodForm(initial=shown, frequencies=frequencies)
    return form, build_grid(user=user, mission=mission, period=period, level=level)


def browser_config(grid: Grid, user: User) -> dict[str, Any]:
    """What the grid's script needs: whose entries, the period, the API's addresses and each
    entry's record."""
    return {
        "user": user.pk,
        "mission": grid.mission.pk,
        "acronym": grid.mission.acronym,
        "periodStart": grid.period.start.isoformat(),
        "periodEnd": grid.period.end.isoformat(),
        "bulkUrl": reverse("api:observation-bulk"),
        "listUrl": reverse("api:observation-list"),
        "entries": {
            entry.key: {
                "indicator": entry.indicator.pk,
                "area": None if entry.place.area is None else entry.place.area.pk,
                "observation": None if entry.observation is None else entry.observation.pk,
                "state": "" if entry.observation is None else entry.observation.state,
            }
            for entry in grid.entries.values()
        },
    }


def browser_text() -> dict[str, Any]:
    """The grid script's words, translated here: plural forms by Intl.PluralRules category."""
    return {
        "waiting": {
            "one": ngettext(
                "%(n)s entry waiting to be sent.", "%(n)s entries waiting to be sent.", 1
            ),
            "other": ngettext(
                "%(n)s entry waiting to be sent.", "%(n)s entries waiting to be sent.", 2
            ),
        },
        "saved": {
            "one": ngettext("%(n)s entry saved.", "%(n)s entries saved.", 1),
            "other": ngettext("%(n)s entry saved.", "%(n)s entries saved.", 2),
        },
        "offline": _(
            "You are offline: entries are kept in this browser and sent when the connection "
            "returns."
        ),
        "retrying": _("The server could not be reached; trying again shortly."),
        "signedOut": _(
            "Your session has ended: sign in again, then open this page to send the waiting "
            "entries."
        ),
        "stateWaiting": _("Waiting to be sent"),
        "stateSaved": _("Saved as draft"),
        "stateRefused": _("Not saved:"),
        "submitOffline": _("Connect to submit: every entry must reach the server first."),
        "submitRefused": _("Not submitted:"),
    }
