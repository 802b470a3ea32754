"""The JOC's period-entry grid: which hand-logged indicators × which places for which period,
and the figures already logged there (its form and saving: `web.entry_form`).

A period is one whole week, month, quarter or year (the indicators' frequency decides which);
a place is the whole mission or one of its areas, at the level the grid is shown for. Each
(indicator, place) pair is one observation; its inputs are its figures, one per sex-age group
where the indicator is disaggregated, a numerator and a denominator for a ratio.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.choices import SexAge
from indicators.choices import (
    CombinationMethod,
    DataSource,
    Disaggregation,
    Frequency,
    ObservationState,
)
from indicators.models import Indicator, Observation, ObservationTransition
from indicators.rollups.calendar import period_bounds
from indicators.rollups.completeness import KIND
from indicators.services.observations import (
    GROUPS,
)
from missions.choices import AreaKind
from missions.models import Area, Mission
from missions.permissions import Action
from web.needs import returned_observations

if TYPE_CHECKING:
    from accounts.models import User

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
        start, end = period_bounds(KIND[frequency], day)  # the completeness reckoning's kinds
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


@dataclass(frozen=True)
class Returned:
    """A period and level of the grid holding some of the user's observations returned for
    correction."""

    period: Period
    level: str
    count: int


def returned_periods(*, user: User, mission: Mission) -> list[Returned]:
    """Where the user's observations returned for correction wait, oldest first: one query."""
    rows = (
        returned_observations(user, [mission])
        .values("indicator__frequency", "period_start", "area__kind")
        .annotate(count=Count("pk"))
        .order_by("period_start", "indicator__frequency", "area__kind")
    )
    return [
        Returned(
            Period.holding(row["indicator__frequency"], row["period_start"]),
            row["area__kind"] or WHOLE_MISSION,
            row["count"],
        )
        for row in rows
    ]


def grid_for(*, query: Mapping[str, Any], user: User, mission: Mission) -> tuple[PeriodForm, Grid]:
    """The period form as asked (`?frequency=&day=&level=`) and the grid it names; anything
    missing or wrong falls back to today's period of the shortest frequency."""
    frequencies = logged_frequencies() or [Frequency.WEEKLY]
    form = PeriodForm(query or None, frequencies=frequencies)
    given = form.cleaned_data if form.is_valid() else {}
    frequency = given.get("frequency") or frequencies[0]
    period = Period.holding(frequency, given.get("day") or mission.local_date())
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
        "fixFirst": _("Correct the entries marked “Not saved” before submitting."),
    }
