"""Hand-logged indicator values: observations and their figures by sex and age.

Each manual indicator is logged at one level of a mission, chosen by its frequency (weekly and
monthly figures per locality, quarterly per area of responsibility, annual for the whole
mission), so figures never overlap. A series is one area's run of periods; series are dealt out
indicator by indicator until the mission's share of observations is reached. Older values are
validated; the most recent ones are still moving through draft, submitted and returned.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Iterator
from decimal import Decimal

from core.choices import SexAge
from indicators.choices import (
    CombinationMethod,
    Disaggregation,
    Frequency,
    ObservationState,
    TimeAggregation,
    Unit,
)
from indicators.models import Observation, ObservationValue

from .context import Choice, MissionContext, chunked, insert
from .gazetteer import MissionTemplate
from .options import Period, SeedOptions, months, weeks
from .reference import IndicatorInfo, Reference

LOCALITY, AOR, MISSION = "locality", "aor", "mission"
LEVEL: dict[str, str] = {
    Frequency.WEEKLY: LOCALITY,
    Frequency.MONTHLY: LOCALITY,
    Frequency.QUARTERLY: AOR,
    Frequency.ANNUAL: MISSION,
}
LEVEL_SCALE = {LOCALITY: 1, AOR: 6, MISSION: 40}
FREQUENCY_SCALE: dict[str, float] = {
    Frequency.WEEKLY: 0.25,
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.ANNUAL: 12,
}
# typical figure of one locality: over a month for flows (sums), at a date for stocks
FLOW: dict[str, int] = {Unit.COUNT: 3, Unit.PEOPLE: 25, Unit.HOURS: 6, Unit.DAYS: 5}
STOCK: dict[str, int] = {Unit.COUNT: 8, Unit.PEOPLE: 800, Unit.HOURS: 12, Unit.DAYS: 8}
SEX_AGE = Choice({SexAge.WOMEN: 30, SexAge.MEN: 25, SexAge.GIRLS: 23, SexAge.BOYS: 22})
RECENT_DAYS = 28  # the last four weeks: values still moving through the workflow
RECENT_STATES = Choice(
    {
        ObservationState.VALIDATED: 35,
        ObservationState.SUBMITTED: 30,
        ObservationState.DRAFT: 20,
        ObservationState.RETURNED: 15,
    }
)
FORCED_STATES = list(ObservationState)  # the first recent values cover every state
NOTES = (
    "Figures from the community alert network focal point, confirmed by phone.",
    "Late report: the road was cut for a week.",
    "Counted with the humanitarian site management partner.",
)


def periods(frequency: str, options: SeedOptions) -> list[Period]:
    start, end = options.start, options.end
    if frequency == Frequency.WEEKLY:
        return list(weeks(start, end))
    steps: dict[str, int] = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUAL: 12}
    step = steps[frequency]
    return list(months(start, end, step=step))


def localities_needed(
    template: MissionTemplate, reference: Reference, options: SeedOptions, index: int
) -> int:
    """Localities per area of responsibility needed to hold the mission's observations."""
    aors = sum(len(sector.aors) for sector in template.sectors)
    wanted = options.share(options.observations, index)
    fixed = per_locality = 0
    for indicator in reference.manual_indicators:
        count = len(periods(indicator.frequency, options))
        level = LEVEL[indicator.frequency]
        if level == LOCALITY:
            per_locality += count
        else:
            fixed += count * (aors if level == AOR else 1)
    if not per_locality or wanted <= fixed:
        return options.localities
    return max(options.localities, math.ceil((wanted - fixed) / per_locality / aors))


def create_observations(ctx: MissionContext) -> None:
    """Create the observations in batches, each batch followed by its values."""
    total = ctx.options.share(ctx.options.observations, ctx.index)
    done = 0
    ctx.report("observations", 0, total)
    for batch in chunked(_observations(ctx, total), ctx.options.batch_size // 2):
        created = insert(Observation, (observation for observation, _ in batch))
        values = []
        for observation, (_, figures) in zip(created, batch, strict=True):
            for figure in figures:
                figure.observation_id = observation.pk
            values += figures
        insert(ObservationValue, values)
        done += len(batch)
        ctx.report("observations", done, total)
    if done < total:  # fewer periods than asked for: say how many there are
        ctx.report("observations", done, done)


def _series(ctx: MissionContext, rng: random.Random) -> Iterator[tuple[IndicatorInfo, int | None]]:
    """(indicator, area) pairs, dealt one per indicator in turn, each level's areas shuffled."""
    areas: dict[str, list[int | None]] = {
        LOCALITY: [area.pk for area in ctx.areas.localities],
        AOR: [area.pk for area in ctx.areas.aors],
        MISSION: [None],
    }
    queues = []
    for indicator in ctx.reference.manual_indicators:
        candidates = list(areas[LEVEL[indicator.frequency]])
        rng.shuffle(candidates)
        queues.append((indicator, candidates))
    for round_ in range(max((len(c) for _, c in queues), default=0)):
        for indicator, candidates in queues:
            if round_ < len(candidates):
                yield indicator, candidates[round_]


def _observations(
    ctx: MissionContext, total: int
) -> Iterator[tuple[Observation, list[ObservationValue]]]:
    rng = ctx.rng("observations")
    calendars: dict[str, list[Period]] = {f: periods(f, ctx.options) for f in Frequency}
    left, recent = total, 0
    for indicator, area in _series(ctx, rng):
        if left <= 0:
            return
        # the last series may be cut short: it keeps its most recent periods
        run = calendars[indicator.frequency][-left:]
        left -= len(run)
        for year in {end.year for _, end in run}:
            ctx.tally["series", indicator.pk, year] += 1
        profile = _Profile(indicator, rng)
        for period in run:
            state = _state(ctx, rng, period, recent)
            recent += (ctx.options.end - period[1]).days < RECENT_DAYS
            observation = _observation(ctx, rng, indicator, area, period, state)
            figures = profile.figures(rng, period)
            _tally(ctx, indicator, period, figures)
            yield observation, figures


def _state(ctx: MissionContext, rng: random.Random, period: Period, recent: int) -> str:
    if (ctx.options.end - period[1]).days >= RECENT_DAYS:
        return ObservationState.VALIDATED
    return FORCED_STATES[recent] if recent < len(FORCED_STATES) else RECENT_STATES(rng)


def _observation(
    ctx: MissionContext,
    rng: random.Random,
    indicator: IndicatorInfo,
    area: int | None,
    period: Period,
    state: str,
) -> Observation:
    observation = Observation(
        indicator_id=indicator.pk,
        mission_id=ctx.mission.pk,
        area_id=area,
        period_start=period[0],
        period_end=period[1],
        state=state,
        note=rng.choice(NOTES) if rng.random() < 0.05 else "",
        logged_by_id=ctx.users["joc_officer" if area else "poc_adviser"],
    )
    if state == ObservationState.DRAFT:
        return observation
    closing = ctx.at(ctx.options.end, 23)  # nothing happens after the window closes
    submitted = ctx.at(period[1] + datetime.timedelta(days=rng.randint(0, 3)), rng.uniform(8, 17))
    observation.submitted_at = min(submitted, ctx.at(ctx.options.end, 17))
    if state == ObservationState.VALIDATED:
        later = observation.submitted_at + datetime.timedelta(hours=rng.uniform(2, 96))
        observation.validated_at = min(later, closing)
        observation.validated_by_id = ctx.users["poc_adviser"]
    return observation


class _Profile:
    """One series' level and shape: its figures wander around it from period to period."""

    def __init__(self, indicator: IndicatorInfo, rng: random.Random) -> None:
        self.indicator = indicator
        scale = LEVEL_SCALE[LEVEL[indicator.frequency]] * rng.uniform(0.5, 1.5)
        if indicator.time_aggregation == TimeAggregation.FLOW:
            scale *= FREQUENCY_SCALE[indicator.frequency]
            self.level = FLOW.get(indicator.unit, 5) * scale
        else:
            self.level = STOCK.get(indicator.unit, 5) * scale
        self.share = rng.uniform(0.45, 0.9)  # ratios: the series' usual numerator share
        self.denominator = max(1.0, 8 * scale)
        by_sex_age = indicator.disaggregation == Disaggregation.SEX_AGE
        # a figure per sex-age group (no total row), or a single total
        self.groups = list(SEX_AGE.keys) if by_sex_age else [SexAge.TOTAL]
        self.weights = list(SEX_AGE.weights) if by_sex_age else [100]

    def figures(self, rng: random.Random, period: Period) -> list[ObservationValue]:
        season = 1 + 0.25 * math.cos(2 * math.pi * period[0].timetuple().tm_yday / 365)
        figures = []
        for group, weight in zip(self.groups, self.weights, strict=True):
            part = weight / 100 * rng.uniform(0.8, 1.2)
            if self.indicator.method == CombinationMethod.RATIO:
                figures.append(self._ratio(rng, group, part))
            else:
                figures.append(self._value(rng, group, part * season))
        return figures

    def _ratio(self, rng: random.Random, group: str, part: float) -> ObservationValue:
        denominator = max(1, round(self.denominator * part * rng.uniform(0.9, 1.1)))
        share = min(1.0, max(0.0, self.share + rng.uniform(-0.08, 0.08)))
        numerator = round(denominator * share)
        value = numerator / denominator * (100 if self.indicator.unit == Unit.PERCENTAGE else 1)
        return ObservationValue(
            disaggregation=group,
            value=_decimal(value),
            numerator=Decimal(numerator),
            denominator=Decimal(denominator),
        )

    def _value(self, rng: random.Random, group: str, part: float) -> ObservationValue:
        unit = self.indicator.unit
        if unit == Unit.PERCENTAGE:
            value: float = min(100.0, self.share * 100 * rng.uniform(0.85, 1.1))
        elif unit == Unit.SCORE:
            value = rng.randint(1, 5)
        else:
            value = self.level * part * rng.uniform(0.6, 1.4)
            value = round(value) if unit in (Unit.COUNT, Unit.PEOPLE) else value
        return ObservationValue(disaggregation=group, value=_decimal(value))


def _decimal(value: float) -> Decimal:
    return Decimal(value) if isinstance(value, int) else Decimal(f"{value:.4f}")


def _tally(
    ctx: MissionContext, indicator: IndicatorInfo, period: Period, figures: list[ObservationValue]
) -> None:
    """Add the figures to the indicator's actuals for the year, for its targets."""
    year, tally = period[1].year, ctx.tally
    tally["observations", indicator.pk, year] += 1
    for figure in figures:
        assert figure.value is not None  # every generated figure has its value
        tally["value", indicator.pk, year] += float(figure.value)
        if figure.denominator is not None:
            assert figure.numerator is not None  # a ratio's figure has both parts
            tally["numerator", indicator.pk, year] += float(figure.numerator)
            tally["denominator", indicator.pk, year] += float(figure.denominator)
