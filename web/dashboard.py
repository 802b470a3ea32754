"""The leadership dashboard of a mission, composed from the figures' selectors.

Every number comes from the rollups (`indicators.selectors`, `threats.selectors.risk_matrix`,
and the per-area rollup rows for the map), so the page costs the same few queries whatever the
amount of data. The request's parameters choose the period (`period`, `on`), the place
(`area`) and the indicator of the time series (`indicator`); a parameter that makes no sense is
a `BadSelection` (a 400 that says what was wrong), an area of another mission a 404.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import DecimalField, F, FilteredRelation, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from commitments.choices import ImplementationStatus
from commitments.models import KeyElement, Tier
from core.choices import SexAge
from core.validators import RECORD_DATES_CEILING, RECORD_DATES_FLOOR
from indicators.choices import Derivation, PeriodKind, Unit
from indicators.models import Indicator
from indicators.rollups.calendar import period_bounds
from indicators.selectors import Figure, SeriesPoint, indicator_series, mission_figures
from missions.choices import AreaKind, RiskLevel
from missions.models import Area, Mission
from threats.choices import OPEN_THREAT_STATUSES, PerpetratorCategory
from threats.selectors import RiskMatrix, risk_matrix

from .countries import ISO3_NUMERIC

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User

YEAR_TO_DATE = "ytd"
PERIOD_CHOICES = [
    (PeriodKind.WEEK.value, gettext_lazy("Week")),
    (PeriodKind.MONTH.value, gettext_lazy("Month")),
    (PeriodKind.QUARTER.value, gettext_lazy("Quarter")),
    (PeriodKind.YEAR.value, gettext_lazy("Year")),
    (YEAR_TO_DATE, gettext_lazy("Year to date")),
]
DEFAULT_PERIOD = PeriodKind.MONTH.value  # what a leadership meeting reviews
# how many periods the time series shows, ending with the chosen one
SERIES_LENGTH = {
    PeriodKind.WEEK: 13,
    PeriodKind.MONTH: 12,
    PeriodKind.QUARTER: 8,
    PeriodKind.YEAR: 5,
}
DEFAULT_SERIES = Derivation.CIVILIANS_KILLED
KEY_ELEMENTS_PARAGRAPH = 10  # the A4P paragraph whose four key elements missions report on
# below a sector the engine computes headline figures only, no breakdowns
BREAKDOWN_LEVELS = (None, AreaKind.SECTOR)
D = Derivation
HARMED = (D.CIVILIANS_KILLED, D.CIVILIANS_INJURED, D.CIVILIANS_ABDUCTED)
HEADLINES = (
    *HARMED,
    D.INCIDENTS,
    D.INCIDENTS_HOST_STATE,
    D.ALERTS_RECEIVED,
    D.ALERTS_WITHIN_STANDARD,
    D.ALERT_MEDIAN_RESPONSE,
    D.HIGH_RISK_THREATS,
    D.ACTIVITIES,
)
MAP_COUNTS = {"incidents": D.INCIDENTS, "alerts": D.ALERTS_RECEIVED, "threats": D.HIGH_RISK_THREATS}
SEX_AGE_GROUPS = (SexAge.WOMEN, SexAge.MEN, SexAge.GIRLS, SexAge.BOYS, SexAge.UNKNOWN)


class BadSelection(Exception):
    """A dashboard parameter that names no period, day, area or indicator."""


@dataclass(frozen=True)
class Selection:
    """The period the dashboard shows: a kind, its bounds, and the day that chose it."""

    choice: str  # a value of PERIOD_CHOICES
    kind: PeriodKind
    start: datetime.date
    end: datetime.date
    day: datetime.date
    today: datetime.date

    @property
    def is_year_to_date(self) -> bool:
        return self.choice == YEAR_TO_DATE

    @property
    def is_running(self) -> bool:
        return self.start <= self.today <= self.end

    @property
    def last_day(self) -> datetime.date:
        """The last day with records: today for a running period."""
        return min(self.end, self.today)

    @property
    def label(self) -> str:
        if self.is_year_to_date:
            return _("%(year)s to date (1 January to %(today)s)") % {
                "year": self.start.year,
                "today": date_format(self.today, "DATE_FORMAT"),
            }
        return period_label(self.kind, self.start)

    @property
    def previous_day(self) -> datetime.date | None:
        if self.is_year_to_date or self.start <= RECORD_DATES_FLOOR:
            return None
        return period_bounds(self.kind, self.start - datetime.timedelta(days=1))[0]

    @property
    def next_day(self) -> datetime.date | None:
        if self.is_year_to_date or self.end >= RECORD_DATES_CEILING:
            return None
        return self.end + datetime.timedelta(days=1)


def period_label(kind: str, start: datetime.date) -> str:
    """A period as a reader names it: "March 2026", "Q1 2026", "Week 10 of 2026", "2026"."""
    if kind == PeriodKind.WEEK:
        year, week, _weekday = start.isocalendar()
        return _("Week %(week)s of %(year)s") % {"week": week, "year": year}
    if kind == PeriodKind.MONTH:
        return date_format(start, "YEAR_MONTH_FORMAT")
    if kind == PeriodKind.QUARTER:
        return _("Q%(quarter)s %(year)s") % {
            "quarter": (start.month - 1) // 3 + 1,
            "year": start.year,
        }
    return str(start.year)


def read_selection(params: Mapping[str, str], mission: Mission) -> Selection:
    """The period named by `period` (default the running month) and `on` (a day inside it,
    default today in the mission's time zone). The year to date is the running year, whose
    figure covers the days gone by."""
    today = mission.local_date()
    choice = params.get("period") or DEFAULT_PERIOD
    if choice not in dict(PERIOD_CHOICES):
        raise BadSelection(
            _("“%(period)s” is not a period: choose a week, month, quarter, year or year to date.")
            % {"period": choice}
        )
    day = today
    if params.get("on") and choice != YEAR_TO_DATE:
        try:
            day = datetime.date.fromisoformat(params["on"])
        except ValueError:
            raise BadSelection(
                _("“%(day)s” is not a date: give it as YYYY-MM-DD.") % {"day": params["on"]}
            ) from None
        if not RECORD_DATES_FLOOR <= day <= RECORD_DATES_CEILING:
            raise BadSelection(
                _("Figures exist from %(floor)s to %(ceiling)s only.")
                % {"floor": RECORD_DATES_FLOOR.year, "ceiling": RECORD_DATES_CEILING.year}
            )
    kind = PeriodKind.YEAR if choice == YEAR_TO_DATE else PeriodKind(choice)
    start, end = period_bounds(kind, day)
    return Selection(choice=choice, kind=kind, start=start, end=end, day=day, today=today)


def read_area(params: Mapping[str, str], mission: Mission) -> Area | None:
    """The area named by `area` (an id), with its sector and area of responsibility; an area
    of another mission, or none, is a 404."""
    raw = params.get("area") or ""
    if not raw:
        return None
    if not raw.isdigit():
        raise BadSelection(_("“%(area)s” is not an area.") % {"area": raw})
    area = Area.objects.for_mission(mission).select_related("sector", "aor").filter(pk=raw).first()
    if area is None:
        raise Http404
    return area


def read_series_indicator(params: Mapping[str, str], indicators: list[Indicator]) -> Indicator:
    """The indicator named by `indicator` (its code), else civilians killed."""
    code = params.get("indicator") or ""
    for indicator in indicators:
        if (code and indicator.code == code) or (
            not code and indicator.derivation == DEFAULT_SERIES
        ):
            return indicator
    if not code and indicators:
        return indicators[0]
    raise BadSelection(_("“%(code)s” is not an indicator.") % {"code": code})


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str


@dataclass(frozen=True)
class Line:
    """One row of a headline's breakdown, with the records behind it (no link: none kept)."""

    label: StrOrPromise
    value: Decimal | None
    url: str = ""
    emphasis: bool = False
    css: str = ""


@dataclass(frozen=True)
class Headline:
    """An indicator's figure with the list of records behind it."""

    figure: Figure
    url: str = ""
    lines: list[Line] = field(default_factory=list)

    @property
    def indicator(self) -> Indicator:
        return self.figure.indicator

    @property
    def is_percentage(self) -> bool:
        return self.figure.indicator.unit == Unit.PERCENTAGE


@dataclass(frozen=True)
class HarmedRow:
    """One kind of harm by sex and age: killed, injured or abducted."""

    headline: Headline
    groups: list[Decimal | None]


@dataclass(frozen=True)
class MatrixCell:
    likelihood: int
    impact: int
    count: int
    level: RiskLevel
    url: str


@dataclass(frozen=True)
class AreaCount:
    """An area's counts on the map: incidents, alerts and open high-risk threats."""

    pk: int
    name: str
    kind: str
    latitude: Decimal | None
    longitude: Decimal | None
    incidents: Decimal
    alerts: Decimal
    threats: Decimal
    url: str

    @property
    def total(self) -> Decimal:
        return self.incidents + self.alerts + self.threats


@dataclass(frozen=True)
class KeyElementStatus:
    number: int
    label: str
    status: ImplementationStatus
    due_on: datetime.date | None
    last_reviewed_on: datetime.date | None


@dataclass
class Dashboard:
    mission: Mission
    selection: Selection
    area: Area | None
    breadcrumb: list[Crumb]
    harmed: list[HarmedRow]
    incidents: Headline
    host_state: Headline
    alerts: Headline
    within_standard: Headline
    median_response: Headline
    threats: Headline
    activities: Headline
    has_breakdowns: bool
    as_of: datetime.datetime | None
    is_partial: bool
    indicators: list[Indicator]
    series_indicator: Indicator
    series: list[SeriesPoint]
    series_rows: list[tuple[SeriesPoint, str]]
    matrix: RiskMatrix
    matrix_rows: list[list[MatrixCell]]
    areas: list[AreaCount]
    key_elements: list[KeyElementStatus]
    chart_data: dict[str, Any]
    map_data: dict[str, Any]
    sex_age_groups: list[StrOrPromise]
    period_choices: Sequence[tuple[str, StrOrPromise]]
    urls: dict[str, str]


class Links:
    """The dashboard's own URLs and those of the record lists, with the FilterSets' names."""

    def __init__(self, mission: Mission, selection: Selection, area: Area | None) -> None:
        self.mission, self.selection, self.area = mission, selection, area

    def _url(self, name: str, params: list[tuple[str, Any]]) -> str:
        base = reverse(f"web:{name}", kwargs={"mission": self.mission.acronym})
        query = urlencode([(k, str(v)) for k, v in params if v not in (None, "")])
        return f"{base}?{query}" if query else base

    def _area(self) -> list[tuple[str, Any]]:
        return [("area", self.area.pk if self.area else None)]

    def dashboard(self, *, area: int | None | bool = True, **changes: Any) -> str:
        """This page with some parameters changed (`area` an id, None: the whole mission)."""
        s = self.selection
        params = {
            "period": s.choice,
            "on": None if s.is_year_to_date else s.day.isoformat(),
            "area": (self.area.pk if self.area else None) if area is True else area,
        } | changes
        return self._url("dashboard", list(params.items()))

    def incidents(self, *extra: tuple[str, Any]) -> str:
        s = self.selection
        dates = [("occurred_on_after", s.start), ("occurred_on_before", s.last_day)]
        return self._url("incident-list", [*dates, *self._area(), *extra])

    def alerts(self) -> str:
        s = self.selection
        dates = [("received_on_after", s.start), ("received_on_before", s.last_day)]
        return self._url("alert-list", [*dates, *self._area()])

    def open_threats(self, *extra: tuple[str, Any], area: bool = True) -> str:
        statuses = [("status", status.value) for status in OPEN_THREAT_STATUSES]
        return self._url("threat-list", [*statuses, *(self._area() if area else []), *extra])


def _breadcrumb(links: Links, area: Area | None) -> list[Crumb]:
    crumbs = [Crumb(_("Whole mission"), links.dashboard(area=None))]
    if area is not None:
        for ancestor in (area.sector, area.aor):
            if ancestor is not None and ancestor.pk != area.pk:
                crumbs.append(Crumb(ancestor.name, links.dashboard(area=ancestor.pk)))
        crumbs.append(Crumb(area.name, links.dashboard(area=area.pk)))
    return crumbs


def _lines(
    figure: Figure,
    prefix: str,
    labels: Sequence[tuple[str, StrOrPromise]],
    url: Callable[[str], str] | None = None,
) -> list[Line]:
    """A breakdown's rows in the choices' order; a group without a row is zero where the
    headline exists (the engine writes no row for nothing)."""
    missing = Decimal(0) if figure.value is not None else None
    return [
        Line(
            label=label,
            value=figure.breakdowns.get(f"{prefix}:{key}", missing),
            url=url(key) if url else "",
            emphasis=key == PerpetratorCategory.HOST_STATE_FORCES,
            css=f"risk-{key}" if prefix == "risk" else "",
        )
        for key, label in labels
    ]


def _area_counts(
    mission: Mission, area: Area | None, selection: Selection, by_derivation: dict[str, Indicator]
) -> list[dict[str, Any]]:
    """The areas one level below `area` (the sectors for the whole mission; a locality
    itself), each with its figures of the period, in one GROUP BY over their rollup rows."""
    areas = Area.objects.for_mission(mission).order_by("name")
    if area is None:
        areas = areas.filter(kind=AreaKind.SECTOR)
    elif area.kind == AreaKind.LOCALITY:
        areas = areas.filter(pk=area.pk)
    else:
        areas = areas.filter(parent=area)
    ids = {name: by_derivation[d].pk for name, d in MAP_COUNTS.items() if d in by_derivation}
    figures = FilteredRelation(
        "rollups",
        condition=Q(
            rollups__period=selection.kind,
            rollups__period_start=selection.start,
            rollups__disaggregation=SexAge.TOTAL,
            rollups__breakdown="",
            rollups__indicator__in=list(ids.values()),
        ),
    )
    sums = {
        name: Coalesce(
            Sum("figures__value", filter=Q(figures__indicator=ids.get(name))),
            Value(Decimal(0)),
            output_field=DecimalField(),
        )
        for name in MAP_COUNTS
    }
    rows = (
        areas.annotate(figures=figures)
        .values("pk", "name", "kind", "latitude", "longitude")
        .annotate(**sums)
    )
    return [dict(row) for row in rows]


def _key_elements(mission: Mission) -> list[KeyElementStatus]:
    """Paragraph 10's key elements with the mission's status of each (not started without an
    implementation row), in one query."""
    rows = (
        KeyElement.objects.filter(paragraph__number=KEY_ELEMENTS_PARAGRAPH)
        .annotate(
            implementation=FilteredRelation(
                "implementations", condition=Q(implementations__mission=mission)
            )
        )
        .values(
            "number",
            "label",
            status=F("implementation__status"),
            due_on=F("implementation__due_on"),
            last_reviewed_on=F("implementation__last_reviewed_on"),
        )
        .order_by("number")
    )
    return [
        KeyElementStatus(
            number=row["number"],
            label=row["label"],
            status=ImplementationStatus(row["status"] or ImplementationStatus.NOT_STARTED),
            due_on=row["due_on"],
            last_reviewed_on=row["last_reviewed_on"],
        )
        for row in rows
    ]


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _series(
    user: User, mission: Mission, indicator: Indicator, selection: Selection, area: Area | None
) -> list[SeriesPoint]:
    """The chosen indicator over the periods up to the chosen one (the months of the year to
    date)."""
    if selection.is_year_to_date:
        kind, first = PeriodKind.MONTH, selection.start
        last = period_bounds(kind, selection.today)[0]
    else:
        kind, first, last = selection.kind, selection.start, selection.start
        for _step in range(SERIES_LENGTH[kind] - 1):
            if first <= RECORD_DATES_FLOOR:
                break
            first = period_bounds(kind, first - datetime.timedelta(days=1))[0]
    return indicator_series(
        user=user,
        mission=mission,
        indicator=indicator,
        period=kind,
        start=first,
        end=last,
        area=area,
    )


def series_kind(selection: Selection) -> PeriodKind:
    return PeriodKind.MONTH if selection.is_year_to_date else selection.kind


def build(*, user: User, mission: Mission, params: Mapping[str, str]) -> Dashboard:
    """Compose the dashboard of `mission` for the request's parameters."""
    selection = read_selection(params, mission)
    area = read_area(params, mission)
    indicators = list(Indicator.objects.filter(is_active=True).order_by("code"))
    series_indicator = read_series_indicator(params, indicators)
    by_derivation = {i.derivation: i for i in indicators if i.derivation}
    links = Links(mission, selection, area)

    headline_indicators = [by_derivation[d] for d in HEADLINES if d in by_derivation]
    figures = {
        figure.indicator.derivation: figure
        for figure in mission_figures(
            user=user,
            mission=mission,
            period=selection.kind,
            period_start=selection.start,
            area=area,
            indicators=headline_indicators,
        )
    }

    def headline(derivation: str, url: str = "", lines: list[Line] | None = None) -> Headline:
        return Headline(figure=figures[derivation], url=url, lines=lines or [])

    has_breakdowns = (area.kind if area else None) in BREAKDOWN_LEVELS
    harmed = [
        HarmedRow(
            headline(derivation, links.incidents()),
            [getattr(figures[derivation].sex_age, group, None) for group in SEX_AGE_GROUPS],
        )
        for derivation in HARMED
        if derivation in figures
    ]
    perpetrators = _lines(
        figures[D.INCIDENTS],
        "perpetrator",
        PerpetratorCategory.choices,
        lambda key: links.incidents(("perpetrator_category", key)),
    )
    risk_levels = _lines(
        figures[D.HIGH_RISK_THREATS],
        "risk",
        list(reversed(RiskLevel.choices)),
        lambda key: links.open_threats(("risk_level", key)),
    )
    tiers = _lines(
        figures[D.ACTIVITIES],
        "tier",
        [(str(tier.number), tier.label) for tier in Tier.objects.order_by("number")],
    )
    matrix = risk_matrix(user=user, mission=mission)
    matrix_rows = [
        [
            MatrixCell(
                likelihood=cell.likelihood,
                impact=cell.impact,
                count=cell.count,
                level=cell.level,
                url=links.open_threats(
                    ("likelihood", cell.likelihood), ("impact", cell.impact), area=False
                )
                if cell.count
                else "",
            )
            for cell in row
        ]
        for row in matrix.rows
    ]
    series = _series(user, mission, series_indicator, selection, area)
    areas = [
        AreaCount(
            pk=row["pk"],
            name=row["name"],
            kind=row["kind"],
            latitude=row["latitude"],
            longitude=row["longitude"],
            incidents=row["incidents"],
            alerts=row["alerts"],
            threats=row["threats"],
            url=links.dashboard(area=row["pk"]),
        )
        for row in _area_counts(mission, area, selection, by_derivation)
    ]
    stamps = [f.computed_at for f in figures.values() if f.computed_at is not None]
    kind = series_kind(selection)
    labels = [period_label(kind, p.period_start) for p in series]
    chart_data = {
        "labels": labels,
        "values": [_number(p.value) for p in series],
        "targets": [_number(p.target) for p in series],
        "valueLabel": str(series_indicator.name),
        "targetLabel": _("Target"),
        "percentage": series_indicator.unit == Unit.PERCENTAGE,
    }
    map_data = {
        "tileUrl": settings.MAP_TILE_URL,
        "attribution": settings.MAP_ATTRIBUTION,
        "outlines": static("vendor/world-atlas/countries-110m.json"),
        "country": ISO3_NUMERIC.get(mission.host_country_iso3.upper(), ""),
        "wholeMission": area is None,
        "labels": {
            "incidents": _("Incidents"),
            "alerts": _("Alerts"),
            "threats": _("Open high-risk threats"),
            "open": _("Open this area's dashboard"),
            "legend": _("Circle size: incidents, alerts and open high-risk threats together"),
            "zoomIn": _("Zoom in"),
            "zoomOut": _("Zoom out"),
            "close": pgettext("a map's pop-up", "Close"),
        },
        "areas": [
            {
                "name": a.name,
                "lat": float(a.latitude),
                "lng": float(a.longitude),
                "incidents": float(a.incidents),
                "alerts": float(a.alerts),
                "threats": float(a.threats),
                "url": a.url,
            }
            for a in areas
            if a.latitude is not None and a.longitude is not None
        ],
    }
    return Dashboard(
        mission=mission,
        selection=selection,
        area=area,
        breadcrumb=_breadcrumb(links, area),
        harmed=harmed,
        incidents=headline(D.INCIDENTS, links.incidents(), perpetrators),
        host_state=headline(
            D.INCIDENTS_HOST_STATE, links.incidents(("is_host_state_perpetrator", "true"))
        ),
        alerts=headline(D.ALERTS_RECEIVED, links.alerts()),
        within_standard=headline(D.ALERTS_WITHIN_STANDARD, links.alerts()),
        median_response=headline(D.ALERT_MEDIAN_RESPONSE, links.alerts()),
        threats=headline(D.HIGH_RISK_THREATS, links.open_threats(), risk_levels),
        activities=headline(D.ACTIVITIES, "", tiers),
        has_breakdowns=has_breakdowns,
        as_of=max(stamps, default=None),
        is_partial=any(f.is_partial for f in figures.values()) or selection.is_running,
        indicators=indicators,
        series_indicator=series_indicator,
        series=series,
        series_rows=list(zip(series, labels, strict=True)),
        matrix=matrix,
        matrix_rows=matrix_rows,
        areas=areas,
        key_elements=_key_elements(mission),
        chart_data=chart_data,
        map_data=map_data,
        sex_age_groups=[SexAge(g).label for g in SEX_AGE_GROUPS],
        period_choices=PERIOD_CHOICES,
        urls={
            "previous": links.dashboard(on=selection.previous_day.isoformat())
            if selection.previous_day
            else "",
            "next": links.dashboard(on=selection.next_day.isoformat())
            if selection.next_day
            else "",
            "all_threats": links.open_threats(area=False),
        },
    )
