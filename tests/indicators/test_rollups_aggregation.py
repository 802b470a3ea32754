"""How values combine over time and across places: stocks take each place's last reading,
shares at a period's end are recomputed from that reading's parts, means are weighted, and a
summed figure with nothing verified is a true 0."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from core.choices import Component
from indicators.choices import (
    CombinationMethod,
    DataSource,
    Disaggregation,
    Frequency,
    Polarity,
    TimeAggregation,
    Unit,
)
from indicators.models import Indicator, Observation, ObservationValue, Rollup
from indicators.rollups import rollup_rebuild
from missions.models import Area, Mission
from tests.factories.missions import LocalityFactory

pytestmark = pytest.mark.django_db

VALIDATED_AT = datetime.datetime(2026, 11, 20, tzinfo=datetime.UTC)


def _log(
    indicator: Indicator,
    area: Area,
    start: datetime.date,
    end: datetime.date,
    *,
    state: str = "validated",
    **groups: dict[str, int],
) -> None:
    o = Observation.objects.create(
        indicator=indicator,
        mission=area.mission,
        area=area,
        period_start=start,
        period_end=end,
        state=state,
        validated_at=VALIDATED_AT if state == "validated" else None,
    )
    for group, figures in groups.items():
        ObservationValue.objects.create(observation=o, disaggregation=group, **figures)


def _figure(indicator: Indicator, mission: Mission, period: str, start: datetime.date, **kw):
    return Rollup.objects.get(
        indicator=indicator,
        mission=mission,
        area=None,
        period=period,
        period_start=start,
        disaggregation=kw.get("disaggregation", "total"),
        breakdown="",
    )


def test_a_stock_takes_each_place_s_last_reading_never_an_older_validated_one(
    mission_a: Mission,
) -> None:
    # given focal points counted in two localities in October, validated, and in November,
    # where only the first locality's count is validated yet
    focal_points = Indicator.objects.get(code="POC-17")
    assert focal_points.time_aggregation == TimeAggregation.STOCK
    first, second = LocalityFactory(mission=mission_a), LocalityFactory(mission=mission_a)
    oct_, nov = (
        (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)),
        (
            datetime.date(2026, 11, 1),
            datetime.date(2026, 11, 30),
        ),
    )
    _log(focal_points, first, *oct_, total={"value": 10})
    _log(focal_points, second, *oct_, total={"value": 20})
    _log(focal_points, first, *nov, total={"value": 12})
    _log(focal_points, second, *nov, state="submitted", total={"value": 25})
    # when the figures are rebuilt
    rollup_rebuild(mission=mission_a)
    # then the quarter is its last reading: November, not October's count standing in for the
    # pending one, and not the sum of the months
    quarter = _figure(focal_points, mission_a, "quarter", datetime.date(2026, 10, 1))
    assert quarter.value == 12
    assert quarter.provisional_value == 37
    assert (quarter.official_count, quarter.provisional_count) == (1, 2)
    october = _figure(focal_points, mission_a, "month", datetime.date(2026, 10, 1))
    assert october.value == 30


def test_a_share_at_period_end_is_the_last_reading_s_parts_not_the_year_s(
    mission_a: Mission,
) -> None:
    # given committees functional at the end of the third and of the fourth quarter
    committees = Indicator.objects.get(code="POC-16")
    assert committees.method == CombinationMethod.RATIO
    area = LocalityFactory(mission=mission_a).aor
    _log(
        committees,
        area,
        datetime.date(2025, 7, 1),
        datetime.date(2025, 9, 30),
        total={"numerator": 10, "denominator": 20},
    )
    _log(
        committees,
        area,
        datetime.date(2025, 10, 1),
        datetime.date(2025, 12, 31),
        total={"numerator": 18, "denominator": 20},
    )
    rollup_rebuild(mission=mission_a)
    # then the year reads the share at its end, 90 %, not 70 % pooled over both quarters
    year = _figure(committees, mission_a, "year", datetime.date(2025, 1, 1))
    assert year.value == Decimal(90)
    assert (year.numerator, year.denominator) == (18, 20)


@pytest.fixture
def mean_score() -> Indicator:
    return Indicator.objects.create(
        code="TEST-MEAN",
        name="Mean perceived safety score",
        definition="Mean score of the respondents, weighted by respondents.",
        unit=Unit.SCORE,
        method=CombinationMethod.MEAN,
        polarity=Polarity.HIGHER_IS_BETTER,
        disaggregation=Disaggregation.SEX_AGE,
        frequency=Frequency.MONTHLY,
        responsible_component=Component.CIVIL_AFFAIRS,
        source=DataSource.MANUAL,
        data_source="Perception survey.",
    )


def test_a_mean_is_weighted_by_what_it_averages(mission_a: Mission, mean_score: Indicator) -> None:
    # given one respondent woman scoring 10 in one place, three men averaging 20 in another
    month = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    _log(
        mean_score,
        LocalityFactory(mission=mission_a),
        *month,
        women={"value": 10, "denominator": 1},
    )
    _log(
        mean_score, LocalityFactory(mission=mission_a), *month, men={"value": 20, "denominator": 3}
    )
    rollup_rebuild(mission=mission_a)
    # then the mission's mean, and the total of the sex-age groups, weigh the four people
    total = _figure(mean_score, mission_a, "month", month[0])
    assert total.value == Decimal("17.5")
    men = _figure(mean_score, mission_a, "month", month[0], disaggregation="men")
    assert men.value == 20


def test_a_summed_figure_with_only_unvalidated_values_is_zero_with_its_status(
    mission_a: Mission,
) -> None:
    # given joint protection team missions logged for a week but not validated yet, against a
    # target for the year
    missions_done = Indicator.objects.get(code="POC-19")
    locality = LocalityFactory(mission=mission_a)
    week = (datetime.date(2026, 3, 2), datetime.date(2026, 3, 8))
    _log(missions_done, locality, *week, state="submitted", total={"value": 4})
    missions_done.targets.create(
        mission=mission_a,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        target=Decimal(365),
    )
    rollup_rebuild(mission=mission_a)
    # then the official figure is 0 (none validated), not blank, and its status says why it
    # is not judged yet: the one report due is not validated
    figure = _figure(missions_done, mission_a, "week", week[0])
    assert figure.value == 0 and figure.provisional_value == 4
    assert figure.target == 7
    assert (figure.expected_reports, figure.received_reports, figure.validated_reports) == (
        1,
        1,
        0,
    )
    assert figure.status == "incomplete"
