"""Completeness and timeliness of hand-logged indicators: reports expected, received, on time
and validated per bucket, and "incomplete" instead of a false fall while validation lags."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from time_machine import TimeMachineFixture

from indicators.models import Indicator, Observation, ObservationValue, Rollup
from indicators.rollups import BucketRange, rollup_rebuild, rollup_refresh
from indicators.selectors import mission_figures
from missions.models import Area, Mission
from tests.factories.missions import LocalityFactory
from tests.figures import stored_rollups

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
OCTOBER = (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
NOVEMBER = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))


def _report(
    indicator: Indicator,
    area: Area,
    period: tuple[datetime.date, datetime.date],
    value: int,
    *,
    state: str,
    submitted_at: datetime.datetime | None,
) -> None:
    o = Observation.objects.create(
        indicator=indicator,
        mission=area.mission,
        area=area,
        period_start=period[0],
        period_end=period[1],
        state=state,
        submitted_at=submitted_at,
        validated_at=submitted_at if state == "validated" else None,
    )
    ObservationValue.objects.create(observation=o, value=value)


def _bucket(indicator: Indicator, mission: Mission, period: str, start: datetime.date) -> Rollup:
    return Rollup.objects.get(
        indicator=indicator,
        mission=mission,
        area=None,
        period=period,
        period_start=start,
        disaggregation="total",
        breakdown="",
    )


@pytest.fixture
def focal_points(mission_a: Mission, time_machine: TimeMachineFixture) -> Indicator:
    """Four localities of a mission an hour ahead of UTC count their focal points monthly:
    all four reports of October validated; of November's, one validated, one submitted in
    time, one submitted late and one missing, seen on 20 December 2026."""
    Mission.objects.filter(pk=mission_a.pk).update(time_zone="Africa/Kinshasa")
    time_machine.move_to(datetime.datetime(2026, 12, 20, 12, tzinfo=UTC), tick=False)
    indicator = Indicator.objects.get(code="POC-17")
    indicator.targets.create(
        mission=mission_a,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        target=Decimal(40),
    )
    places = [LocalityFactory(mission=mission_a) for _ in range(4)]
    for place in places:
        _report(indicator, place, OCTOBER, 10, state="validated", submitted_at=_at(11, 3))
    _report(indicator, places[0], NOVEMBER, 10, state="validated", submitted_at=_at(12, 2))
    # 23:30 UTC on the grace period's last day is already the next day in Kinshasa: late
    _report(indicator, places[1], NOVEMBER, 10, state="submitted", submitted_at=_at(12, 7, 23))
    _report(indicator, places[2], NOVEMBER, 10, state="submitted", submitted_at=_at(12, 7, 22))
    rollup_rebuild(mission=mission_a)
    return indicator


def _at(month: int, day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, 30, tzinfo=UTC)


def test_each_bucket_counts_reports_expected_received_on_time_and_validated(
    focal_points: Indicator, mission_a: Mission
) -> None:
    november = _bucket(focal_points, mission_a, "month", NOVEMBER[0])
    counts = (
        november.expected_reports,
        november.received_reports,
        november.on_time_reports,
        november.validated_reports,
    )
    assert counts == (4, 3, 2, 1)
    # the quarter expects October's and November's reports; December's is not due yet
    quarter = _bucket(focal_points, mission_a, "quarter", OCTOBER[0])
    assert (quarter.expected_reports, quarter.validated_reports) == (8, 5)
    # a locality expects its own reports only
    locality = Rollup.objects.get(
        indicator=focal_points,
        area__observations__period_start=NOVEMBER[0],
        area__observations__state="validated",
        period="month",
        period_start=NOVEMBER[0],
        disaggregation="total",
    )
    assert (locality.expected_reports, locality.validated_reports) == (1, 1)


def test_a_figure_below_the_threshold_is_incomplete_not_off_track(
    focal_points: Indicator, mission_a: Mission
) -> None:
    # November's official figure is one locality's 10 against a target of 40: it would read
    # off track, but one report in four is validated, below the mission's 80 %
    november = _bucket(focal_points, mission_a, "month", NOVEMBER[0])
    assert (november.value, november.target) == (10, 40)
    assert november.status == "incomplete"
    october = _bucket(focal_points, mission_a, "month", OCTOBER[0])
    assert (october.value, october.status) == (40, "on_track")
    # a mission content with a quarter of its reports judges November after all
    Mission.objects.filter(pk=mission_a.pk).update(completeness_threshold=25)
    rollup_rebuild(mission=mission_a)
    assert _bucket(focal_points, mission_a, "month", NOVEMBER[0]).status == "off_track"


def test_a_refresh_recounts_every_period_since_a_place_s_first_report_moved(
    focal_points: Indicator, mission_a: Mission
) -> None:
    """A report for August ahead of a locality's first, October's, makes it owe September's
    too, outside the refreshed August; deleting it again takes that back."""
    place, other = Area.objects.filter(mission=mission_a, observations__period_start=NOVEMBER[0])[
        :2
    ]
    august = (datetime.date(2026, 8, 1), datetime.date(2026, 8, 31))
    september = (datetime.date(2026, 9, 1), datetime.date(2026, 9, 30))
    _report(focal_points, other, september, 10, state="validated", submitted_at=_at(10, 2))
    rollup_rebuild(mission=mission_a)
    assert _bucket(focal_points, mission_a, "month", september[0]).expected_reports == 1
    refresh = [BucketRange(focal_points.pk, mission_a.pk, place.pk, *august)]

    _report(focal_points, place, august, 10, state="validated", submitted_at=_at(9, 2))
    rollup_refresh(ranges=refresh)
    refreshed = stored_rollups()
    counts = _bucket(focal_points, mission_a, "month", september[0])
    assert (counts.expected_reports, counts.received_reports) == (2, 1)
    rollup_rebuild(mission=mission_a)
    assert refreshed == stored_rollups()

    Observation.objects.filter(area=place, period_start=august[0]).delete()
    rollup_refresh(ranges=refresh)
    refreshed = stored_rollups()
    assert _bucket(focal_points, mission_a, "month", september[0]).expected_reports == 1
    rollup_rebuild(mission=mission_a)
    assert refreshed == stored_rollups()


def test_derived_indicators_have_no_report_counts(mission_a: Mission) -> None:
    rollup_rebuild(mission=mission_a)
    assert (
        not Rollup.objects.filter(indicator__derivation__gt="")
        .exclude(expected_reports=None)
        .exists()
    )


def test_the_dashboard_figure_says_how_complete_and_how_partial_it_is(
    focal_points: Indicator, mission_a: Mission, poc_adviser
) -> None:
    [november] = mission_figures(
        user=poc_adviser,
        mission=mission_a,
        period="month",
        period_start=NOVEMBER[0],
        indicators=[focal_points],
    )
    assert november.completeness == Decimal("25.0")
    assert (november.received_reports, november.on_time_reports) == (3, 2)
    assert not november.is_partial
    [december] = mission_figures(
        user=poc_adviser,
        mission=mission_a,
        period="month",
        period_start=datetime.date(2026, 12, 1),
        indicators=[focal_points],
    )
    # no December report yet: no figure, and nothing expected of a running month
    assert december.value is None and december.completeness is None
    [quarter] = mission_figures(
        user=poc_adviser,
        mission=mission_a,
        period="quarter",
        period_start=OCTOBER[0],
        indicators=[focal_points],
    )
    assert quarter.is_partial and quarter.covered_days == 81
