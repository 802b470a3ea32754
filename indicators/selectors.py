"""Composed reads of the figures: a mission's indicators for a period, and one indicator's series.

Both read rollups only, never the records behind them, so a page or an API response costs the
same few queries whatever the amount of data.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Q, QuerySet

from core.choices import SexAge
from missions.models import Area, Mission

from .choices import Disaggregation, PeriodKind, TargetStatus
from .models import Indicator, Rollup
from .rollups.calendar import period_bounds
from .rollups.engine import counts_zero

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

WHOLE_MISSION = 0  # Rollup.area_key of the mission-wide rows


class Bucket(TypedDict):
    period: str
    period_start: datetime.date
    period_end: datetime.date


@dataclass(frozen=True)
class SexAgeSplit:
    """A figure's official value for each sex-age group (girls and boys are under 18)."""

    women: Decimal | None = None
    men: Decimal | None = None
    girls: Decimal | None = None
    boys: Decimal | None = None
    unknown: Decimal | None = None


@dataclass(frozen=True)
class Figure:
    """One indicator's figure for a mission or area and a period, as a dashboard shows it.

    `value` is official (validated or verified data); `provisional_value` adds what awaits
    validation. Values are None when no rollup row exists for the bucket. `sex_age` is None for
    indicators that are not disaggregated; `breakdowns` maps a breakdown key ("type:abduction",
    "perpetrator:host_state_forces", "risk:high", "tier:2") to its official value, and is
    empty below the sector level, where the engine computes none.
    """

    indicator: Indicator
    period: str
    period_start: datetime.date
    period_end: datetime.date
    value: Decimal | None = None
    provisional_value: Decimal | None = None
    previous_value: Decimal | None = None
    change: Decimal | None = None
    baseline: Decimal | None = None
    target: Decimal | None = None
    status: TargetStatus = TargetStatus.NO_TARGET
    official_count: int = 0
    provisional_count: int = 0
    sex_age: SexAgeSplit | None = None
    breakdowns: dict[str, Decimal | None] = field(default_factory=dict)
    computed_at: datetime.datetime | None = None
    source_changed_at: datetime.datetime | None = None
    covered_days: int = 0
    expected_reports: int | None = None
    received_reports: int | None = None
    on_time_reports: int | None = None
    validated_reports: int | None = None

    @property
    def as_of(self) -> datetime.datetime | None:
        """When the figure was computed: what every panel shows beside it."""
        return self.computed_at

    @property
    def is_partial(self) -> bool:
        """Whether the figure covers only part of its period (running, or recorded from a
        day inside it): its target and previous value span the same days."""
        return self.covered_days < (self.period_end - self.period_start).days + 1

    @property
    def completeness(self) -> Decimal | None:
        """Validated reports as a percentage of those expected (hand-logged indicators)."""
        if not self.expected_reports or self.validated_reports is None:
            return None
        return round(Decimal(100 * self.validated_reports) / self.expected_reports, 1)


@dataclass(frozen=True)
class SeriesPoint:
    """One period of an indicator's time series, with its target (None where no row exists)."""

    period_start: datetime.date
    period_end: datetime.date
    value: Decimal | None = None
    provisional_value: Decimal | None = None
    baseline: Decimal | None = None
    target: Decimal | None = None
    status: TargetStatus = TargetStatus.NO_TARGET
    computed_at: datetime.datetime | None = None


def _scoped_rollups(
    *, user: User | AnonymousUser, mission: Mission, period: str, area: Area | None
) -> QuerySet[Rollup]:
    """The mission's (or the area's) rollups of one period kind, once the user may see them.

    Raises Mission.DoesNotExist for a mission the user may not see, and Area.DoesNotExist for
    an area of another mission: both are a 404 to the API.
    """
    mission = Mission.objects.visible_to(user).get(pk=mission.pk)
    if area is not None and area.mission_id != mission.pk:
        raise Area.DoesNotExist("This area belongs to another mission.")
    # no default ordering: Rollup.Meta.ordering would join and sort on three foreign keys
    return Rollup.objects.order_by().filter(
        mission=mission,
        area_key=area.pk if area is not None else WHOLE_MISSION,
        period=PeriodKind(period),
    )


def _zero_when_missing(indicator: Indicator) -> bool:
    # The engine writes no row for a group with nothing to add (no girls killed), so within a
    # computed figure of a derived count a missing group is zero. A hand-logged figure's
    # missing group was not reported, which is not the same as none.
    return counts_zero(indicator)


def _figure(indicator: Indicator, bucket: Bucket, rows: list[Rollup]) -> Figure:
    """Arrange one indicator's rows of a bucket (headline, sex-age groups, breakdowns)."""
    headline = next(
        (r for r in rows if r.breakdown == "" and r.disaggregation == SexAge.TOTAL), None
    )
    sex_age = None
    if indicator.disaggregation == Disaggregation.SEX_AGE:
        groups = {r.disaggregation: r.value for r in rows if r.breakdown == ""}
        missing = Decimal(0) if headline is not None and _zero_when_missing(indicator) else None
        sex_age = SexAgeSplit(
            **{g: groups.get(g, missing) for g in SexAge.values if g != SexAge.TOTAL}
        )
    breakdowns = {r.breakdown: r.value for r in rows if r.breakdown != ""}
    if headline is None:
        return Figure(indicator=indicator, sex_age=sex_age, breakdowns=breakdowns, **bucket)
    return Figure(
        indicator=indicator,
        value=headline.value,
        provisional_value=headline.provisional_value,
        previous_value=headline.previous_value,
        change=headline.change,
        baseline=headline.baseline,
        target=headline.target,
        status=TargetStatus(headline.status),
        official_count=headline.official_count,
        provisional_count=headline.provisional_count,
        sex_age=sex_age,
        breakdowns=breakdowns,
        computed_at=headline.computed_at,
        source_changed_at=headline.source_changed_at,
        covered_days=headline.covered_days,
        expected_reports=headline.expected_reports,
        received_reports=headline.received_reports,
        on_time_reports=headline.on_time_reports,
        validated_reports=headline.validated_reports,
        **bucket,
    )


def mission_figures(
    *,
    user: User | AnonymousUser,
    mission: Mission,
    period: str,
    period_start: datetime.date,
    area: Area | None = None,
    indicators: Iterable[Indicator] | None = None,
) -> list[Figure]:
    """Return one figure per indicator for a mission (or one of its areas) and a period.

    `period` is a PeriodKind value and `period_start` the first day of such a period (else
    ValueError). Without `indicators`, every active indicator has a figure, in code order, with
    empty values where nothing has been computed. Reads rollups only: the mission's visibility,
    the indicators (unless given), then every rollup row of the bucket in one query.
    """
    start, end = period_bounds(period, period_start)
    if start != period_start:
        raise ValueError(f"{period_start} does not start a {period}.")
    rows = _scoped_rollups(user=user, mission=mission, period=period, area=area)
    if indicators is None:
        indicators = Indicator.objects.filter(is_active=True).order_by("code")
    indicators = list(indicators)
    by_indicator: dict[int, list[Rollup]] = {indicator.pk: [] for indicator in indicators}
    # breakdowns are read as totals only: their sex-age rows are for exports, not this figure
    for row in rows.filter(
        Q(breakdown="") | Q(disaggregation=SexAge.TOTAL),
        period_start=period_start,
        indicator__in=list(by_indicator),
    ):
        by_indicator[row.indicator_id].append(row)
    bucket = Bucket(period=period, period_start=start, period_end=end)
    return [_figure(indicator, bucket, by_indicator[indicator.pk]) for indicator in indicators]


def indicator_series(
    *,
    user: User | AnonymousUser,
    mission: Mission,
    indicator: Indicator,
    period: str,
    start: datetime.date,
    end: datetime.date,
    area: Area | None = None,
) -> list[SeriesPoint]:
    """Return an indicator's headline figure for every period from `start` to `end`, with targets.

    One point per period of kind `period` touching [start, end], oldest first; a period with no
    rollup row is a point with empty values, so a chart's axis has no holes. Two queries: the
    mission's visibility, then the rollup rows of the range.
    """
    first, _ = period_bounds(period, start)
    rows = {
        row.period_start: row
        for row in _scoped_rollups(user=user, mission=mission, period=period, area=area).filter(
            indicator=indicator,
            disaggregation=SexAge.TOTAL,
            breakdown="",
            period_start__gte=first,
            period_start__lte=end,
        )
    }
    points = []
    period_start = first
    while period_start <= end:
        period_start, period_end = period_bounds(period, period_start)
        row = rows.get(period_start)
        points.append(
            SeriesPoint(period_start=period_start, period_end=period_end)
            if row is None
            else SeriesPoint(
                period_start=period_start,
                period_end=period_end,
                value=row.value,
                provisional_value=row.provisional_value,
                baseline=row.baseline,
                target=row.target,
                status=TargetStatus(row.status),
                computed_at=row.computed_at,
            )
        )
        period_start = period_end + datetime.timedelta(days=1)
    return points
