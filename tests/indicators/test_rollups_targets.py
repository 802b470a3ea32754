"""Targets and baselines of rollup buckets: pro-rated by days for additive indicators, the
level covering most of the bucket for the others, and none where a day has no target."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from indicators.choices import CombinationMethod, ObservationState
from indicators.models import Indicator, Rollup
from indicators.rollups import rollup_rebuild
from missions.models import Mission
from tests.factories.indicators import (
    IndicatorFactory,
    IndicatorTargetFactory,
    ObservationFactory,
    ObservationValueFactory,
)

pytestmark = pytest.mark.django_db

STRADDLING = datetime.date(2025, 12, 29)  # Monday of the ISO week ending Sunday 4 January 2026
INSIDE = datetime.date(2026, 3, 2)  # a Monday, its week inside 2026


def _target_year(indicator: Indicator, mission: Mission, year: int, target: int, baseline: int):
    return IndicatorTargetFactory(
        indicator=indicator,
        mission=mission,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        target=target,
        baseline=baseline,
    )


def _log_week(indicator: Indicator, mission: Mission, monday: datetime.date, value: int) -> None:
    """A validated mission-wide observation of the week starting `monday`."""
    observation = ObservationFactory(
        indicator=indicator,
        mission=mission,
        period_start=monday,
        period_end=monday + datetime.timedelta(days=6),
        state=ObservationState.VALIDATED,
        validated_at=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC),
    )
    ObservationValueFactory(observation=observation, value=value)


def _week(indicator: Indicator, monday: datetime.date) -> Rollup:
    """The mission-level headline total of the week starting `monday`."""
    return Rollup.objects.get(
        indicator=indicator,
        area__isnull=True,
        period="week",
        period_start=monday,
        disaggregation="total",
        breakdown="",
    )


def _sum_indicator() -> Indicator:
    return IndicatorFactory(method=CombinationMethod.SUM, frequency="weekly")


def _share(figure: int, days: int, year_days: int = 365) -> Decimal:
    return Decimal(figure) * days / year_days


def test_straddling_week_of_a_sum_gets_both_years_targets_prorated_by_days(
    mission_a: Mission,
) -> None:
    # given yearly targets for 2025 (365 days) and 2026 (365 days) and a figure that week
    indicator = _sum_indicator()
    _target_year(indicator, mission_a, 2025, target=365, baseline=73)
    _target_year(indicator, mission_a, 2026, target=730, baseline=146)
    _log_week(indicator, mission_a, STRADDLING, value=12)
    # when the rollups are rebuilt
    rollup_rebuild(mission=mission_a)
    # then 29–31 December take 3/365 of 2025's target and 1–4 January 4/365 of 2026's
    week = _week(indicator, STRADDLING)
    assert week.target == _share(365, 3) + _share(730, 4) == Decimal(11)
    assert week.baseline == (_share(73, 3) + _share(146, 4)).quantize(Decimal("0.0001"))
    assert week.status == "on_track"


def test_straddling_week_of_a_sum_has_no_target_when_a_day_has_none(mission_a: Mission) -> None:
    # given a target for 2025 only
    indicator = _sum_indicator()
    _target_year(indicator, mission_a, 2025, target=365, baseline=73)
    _log_week(indicator, mission_a, STRADDLING, value=12)
    # when the rollups are rebuilt
    rollup_rebuild(mission=mission_a)
    # then the week, four of whose days have no target, has none
    week = _week(indicator, STRADDLING)
    assert week.target is None and week.baseline is None
    assert week.status == "no_target"


def test_week_inside_one_year_keeps_its_prorated_target(mission_a: Mission) -> None:
    # given yearly targets for 2025 and 2026 and a figure in a March week
    indicator = _sum_indicator()
    _target_year(indicator, mission_a, 2025, target=365, baseline=73)
    _target_year(indicator, mission_a, 2026, target=1000, baseline=100)
    _log_week(indicator, mission_a, INSIDE, value=12)
    # when the rollups are rebuilt
    rollup_rebuild(mission=mission_a)
    # then the week takes 7/365 of 2026's target alone, rounded as before
    week = _week(indicator, INSIDE)
    assert week.target == Decimal("19.1781")  # 1000 × 7 / 365
    assert week.baseline == Decimal("1.9178")


def test_straddling_week_of_a_mean_takes_the_target_covering_most_days(
    mission_a: Mission,
) -> None:
    # given a mean with different levels set for 2025 and 2026
    indicator = IndicatorFactory(method=CombinationMethod.MEAN, frequency="weekly")
    _target_year(indicator, mission_a, 2025, target=40, baseline=30)
    _target_year(indicator, mission_a, 2026, target=50, baseline=35)
    _log_week(indicator, mission_a, STRADDLING, value=40)
    # when the rollups are rebuilt
    rollup_rebuild(mission=mission_a)
    # then the week, four of whose seven days are in 2026, is judged against 2026's level
    week = _week(indicator, STRADDLING)
    assert (week.target, week.baseline) == (Decimal(50), Decimal(35))
    assert week.status == "off_track"


def test_straddling_week_of_a_mean_has_no_target_when_a_day_has_none(
    mission_a: Mission,
) -> None:
    # given a mean with a level set for 2026 only, the year covering most of the week
    indicator = IndicatorFactory(method=CombinationMethod.MEAN, frequency="weekly")
    _target_year(indicator, mission_a, 2026, target=50, baseline=35)
    _log_week(indicator, mission_a, STRADDLING, value=45)
    # when the rollups are rebuilt
    rollup_rebuild(mission=mission_a)
    # then 29–31 December have no target, so neither has the week
    week = _week(indicator, STRADDLING)
    assert week.target is None and week.status == "no_target"
