"""Baselines and targets per mission, indicator and calendar year.

Set from what the mission actually recorded that year (the tallies of the other stages) within a
margin either side, so that dashboards show a mix of figures on track, at risk and off track.
Targets are for the full year (the rollups prorate them); baselines sit on the worse side of the
actual figure, as a starting point would.
"""

from __future__ import annotations

import datetime
import random
import statistics
from decimal import Decimal
from typing import Any

from indicators.choices import CombinationMethod, Polarity, TimeAggregation, Unit
from indicators.models import IndicatorTarget

from .context import MissionContext
from .reference import IndicatorInfo

# Around the actual figure, so that roughly as many years end on track as at risk or off it.
TARGET_MARGIN: dict[str, tuple[float, float]] = {
    Polarity.HIGHER_IS_BETTER: (0.85, 1.2),
    Polarity.LOWER_IS_BETTER: (0.85, 1.2),
    Polarity.NEUTRAL: (1.0, 1.0),
}
BASELINE_MARGIN: dict[str, tuple[float, float]] = {
    Polarity.HIGHER_IS_BETTER: (0.7, 1.0),
    Polarity.LOWER_IS_BETTER: (1.0, 1.3),
    Polarity.NEUTRAL: (0.9, 1.1),
}


def create_targets(ctx: MissionContext) -> None:
    rng = ctx.rng("targets")
    targets = []
    for year in ctx.options.calendar_years:
        for indicator in ctx.reference.indicators:
            actual = _actual(ctx, indicator, year)
            if actual is None:
                continue
            targets.append(_target(ctx, rng, indicator, year, actual))
    IndicatorTarget.objects.bulk_create(targets)
    ctx.report("indicator targets", len(targets), len(targets))


def _target(
    ctx: MissionContext, rng: random.Random, indicator: IndicatorInfo, year: int, actual: float
) -> IndicatorTarget:
    target = actual * rng.uniform(*TARGET_MARGIN.get(indicator.polarity, (1.0, 1.0)))
    baseline = actual * rng.uniform(*BASELINE_MARGIN.get(indicator.polarity, (1.0, 1.0)))
    if indicator.unit == Unit.PERCENTAGE:
        target, baseline = min(target, 100.0), min(baseline, 100.0)
    if indicator.unit in (Unit.COUNT, Unit.PEOPLE):
        target, baseline = round(target), round(baseline)
    return IndicatorTarget(
        indicator_id=indicator.pk,
        mission=ctx.mission,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        baseline=_decimal(baseline),
        target=_decimal(target),
    )


def _actual(ctx: MissionContext, indicator: IndicatorInfo, year: int) -> float | None:
    """The indicator's figure over the year, scaled to a full year for sums."""
    tally, method = ctx.tally, indicator.method
    stock = indicator.time_aggregation == TimeAggregation.STOCK
    if indicator.derivation:
        measure: tuple[Any, ...] = (indicator.derivation, year)
        if method == CombinationMethod.MEDIAN:
            hours = ctx.response_hours.get(year)
            return statistics.median(hours) if hours else None
        if method == CombinationMethod.SHARE_WITHIN_STANDARD:
            answerable = tally["alerts_answerable", year]
            return 100 * tally[measure] / answerable if answerable else None
        if method == CombinationMethod.SUM and not stock:
            return tally[measure] / _covered(ctx, year)
        return tally[measure]
    count = tally["observations", indicator.pk, year]
    if not count:
        return None
    if method == CombinationMethod.RATIO:
        numerator = tally["numerator", indicator.pk, year]
        denominator = tally["denominator", indicator.pk, year]
        scale = 100 if indicator.unit == Unit.PERCENTAGE else 1
        return scale * numerator / denominator if denominator else None
    if method == CombinationMethod.SUM and not stock:
        return tally["value", indicator.pk, year] / _covered(ctx, year)
    mean = tally["value", indicator.pk, year] / count
    if stock:
        # a stock: the mission's figure adds up the latest figure of every reporting area
        return mean * tally["series", indicator.pk, year]
    return mean


def _covered(ctx: MissionContext, year: int) -> float:
    """The share of the year inside the window."""
    first = max(ctx.options.start, datetime.date(year, 1, 1))
    last = min(ctx.options.end, datetime.date(year, 12, 31))
    return ((last - first).days + 1) / (datetime.date(year, 12, 31).timetuple().tm_yday)


def _decimal(value: float) -> Decimal:
    return Decimal(f"{max(value, 0.0):.2f}")
