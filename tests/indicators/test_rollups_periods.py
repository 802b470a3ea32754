"""Partial and running periods are judged against the same span of their targets, and a
record-derived count is 0 where nothing was recorded, once the mission's records are all in."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db.models import F
from time_machine import TimeMachineFixture

from accounts.models import User
from incidents.choices import SourceType, VerificationStatus
from incidents.services import incident_create
from indicators.models import Indicator, Observation, ObservationValue, Rollup
from indicators.rollups import rollup_rebuild
from missions.models import Area, Mission
from tests.factories.missions import LocalityFactory
from tests.figures import stored_rollups
from threats.choices import PerpetratorCategory, ViolenceType

pytestmark = pytest.mark.django_db


@pytest.fixture
def locality(mission_a: Mission) -> Area:
    return LocalityFactory(mission=mission_a)


def _killings(by: User, area: Area, day: datetime.date, killed: int) -> None:
    incident_create(
        by=by,
        mission=area.mission,
        area=area,
        occurred_on=day,
        incident_type=ViolenceType.KILLING_MAIMING,
        perpetrator_category=PerpetratorCategory.NON_STATE_ARMED_GROUP,
        source_type=SourceType.UN_PATROL,
        verification_status=VerificationStatus.VERIFIED,
        killed_men=killed,
    )


def _headline(code: str, mission: Mission, period: str, start: datetime.date) -> Rollup | None:
    return Rollup.objects.filter(
        indicator__code=code,
        mission=mission,
        area=None,
        period=period,
        period_start=start,
        disaggregation="total",
        breakdown="",
    ).first()


def _yearly_target(code: str, mission: Mission, year: int, target: int) -> None:
    Indicator.objects.get(code=code).targets.create(
        mission=mission,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        target=Decimal(target),
    )


def test_a_year_recorded_only_in_december_gets_december_s_share_of_its_target(
    mission_a: Mission, locality: Area, joc_officer: User, time_machine: TimeMachineFixture
) -> None:
    # given a mission whose records start in December 2025, with 32 civilians killed that
    # month against a target of 340 for the year
    time_machine.move_to(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC), tick=False)
    Mission.objects.filter(pk=mission_a.pk).update(reporting_from=datetime.date(2025, 12, 1))
    _yearly_target("POC-01", mission_a, 2025, 340)
    _killings(joc_officer, locality, datetime.date(2025, 12, 10), 32)
    rollup_rebuild(mission=mission_a)
    # then 2025 is judged on its 31 recorded days: 340 × 31 / 365, and 32 is off track
    year = _headline("POC-01", mission_a, "year", datetime.date(2025, 1, 1))
    assert year is not None and year.value == 32
    assert year.covered_days == 31
    assert year.target == Decimal("28.8767")
    assert year.status == "off_track"


def test_a_running_week_is_judged_against_its_days_so_far(
    mission_a: Mission, locality: Area, time_machine: TimeMachineFixture
) -> None:
    # given three joint protection team missions by Wednesday, against 365 for the year
    time_machine.move_to(datetime.datetime(2026, 3, 4, 12, tzinfo=datetime.UTC), tick=False)
    _yearly_target("POC-19", mission_a, 2026, 365)
    o = Observation.objects.create(
        indicator=Indicator.objects.get(code="POC-19"),
        mission=mission_a,
        area=locality,
        period_start=datetime.date(2026, 3, 2),
        period_end=datetime.date(2026, 3, 8),
        state="validated",
        validated_at=datetime.datetime(2026, 3, 4, tzinfo=datetime.UTC),
    )
    ObservationValue.objects.create(observation=o, value=3)
    rollup_rebuild(mission=mission_a)
    # then the week, three days old, has three days' target and is on track
    week = _headline("POC-19", mission_a, "week", datetime.date(2026, 3, 2))
    assert week is not None and week.covered_days == 3
    assert week.target == 3 and week.status == "on_track"
    # and the year so far has its target to date: 63 days
    year = _headline("POC-19", mission_a, "year", datetime.date(2026, 1, 1))
    assert year is not None and year.covered_days == 63 and year.target == 63


def test_a_count_with_nothing_recorded_is_zero_with_its_status_and_change(
    mission_a: Mission,
    locality: Area,
    joc_officer: User,
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks,
) -> None:
    # given a mission whose records are all in from 2026, then a killing logged in March
    time_machine.move_to(datetime.datetime(2026, 4, 15, 12, tzinfo=datetime.UTC), tick=False)
    Mission.objects.filter(pk=mission_a.pk).update(reporting_from=datetime.date(2026, 1, 1))
    _yearly_target("POC-01", mission_a, 2026, 365)
    rollup_rebuild(mission=mission_a)  # the nightly rebuild, before the killing is logged
    with django_capture_on_commit_callbacks(execute=True):
        _killings(joc_officer, locality, datetime.date(2026, 3, 10), 1)
    refreshed = stored_rollups()
    # then February reads 0 civilians killed, on track, and March's change is from that 0
    february = _headline("POC-01", mission_a, "month", datetime.date(2026, 2, 1))
    assert february is not None
    assert (february.value, february.provisional_value, february.official_count) == (0, 0, 0)
    assert february.target == 28 and february.status == "on_track"
    march = _headline("POC-01", mission_a, "month", datetime.date(2026, 3, 1))
    assert march is not None and (march.previous_value, march.change) == (0, 1)
    # and the sector reads 0 too; December 2025, before the records start, has no figure
    sector = Rollup.objects.get(
        indicator__code="POC-01",
        area=locality.sector,
        period="month",
        period_start=datetime.date(2026, 2, 1),
        disaggregation="total",
        breakdown="",
    )
    assert sector.value == 0
    assert _headline("POC-01", mission_a, "month", datetime.date(2025, 12, 1)) is None
    january = _headline("POC-01", mission_a, "month", datetime.date(2026, 1, 1))
    assert january is not None and january.previous_value is None
    # and the refresh the killing enqueued wrote exactly what a rebuild writes
    rollup_rebuild(mission=mission_a)
    assert refreshed == stored_rollups()
    compared = Rollup.objects.filter(indicator__code="POC-01", previous_value__isnull=False)
    assert compared.count() > 0
    assert not compared.exclude(change=F("value") - F("previous_value")).exists()


def test_the_running_year_compares_with_the_same_days_of_the_year_before(
    mission_a: Mission,
    locality: Area,
    joc_officer: User,
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks,
) -> None:
    # given killings in February and June 2025 and in February 2026, seen on 10 March 2026
    time_machine.move_to(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC), tick=False)
    Mission.objects.filter(pk=mission_a.pk).update(reporting_from=datetime.date(2025, 1, 1))
    # (their refresh runs on commit, as each write's does)
    with django_capture_on_commit_callbacks(execute=True):
        for day, killed in ((datetime.date(2025, 2, 1), 5), (datetime.date(2025, 6, 1), 7)):
            _killings(joc_officer, locality, day, killed)
        _killings(joc_officer, locality, datetime.date(2026, 2, 1), 4)
    rollup_rebuild(mission=mission_a)
    # then the year to date compares with 1 January to 10 March 2025, not with all of 2025
    year = _headline("POC-01", mission_a, "year", datetime.date(2026, 1, 1))
    assert year is not None and (year.value, year.previous_value, year.change) == (4, 5, -1)
    # and the running month with 1 to 10 February
    march = _headline("POC-01", mission_a, "month", datetime.date(2026, 3, 1))
    assert march is not None and (march.value, march.previous_value, march.change) == (0, 4, -4)
    # and a complete period still compares with the whole one before
    february = _headline("POC-01", mission_a, "month", datetime.date(2026, 2, 1))
    assert february is not None and february.previous_value == 0

    # when a killing of 5 March 2025 is logged late
    with django_capture_on_commit_callbacks(execute=True):
        _killings(joc_officer, locality, datetime.date(2025, 3, 5), 2)
    # then its refresh moves the year to date's comparison too
    year = _headline("POC-01", mission_a, "year", datetime.date(2026, 1, 1))
    assert year is not None and (year.previous_value, year.change) == (7, -3)


def test_nothing_compares_with_a_span_before_the_records_begin(
    mission_a: Mission, locality: Area, joc_officer: User, time_machine: TimeMachineFixture
) -> None:
    # given records from December 2025 only, seen on 10 March 2026
    time_machine.move_to(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC), tick=False)
    Mission.objects.filter(pk=mission_a.pk).update(reporting_from=datetime.date(2025, 12, 1))
    _killings(joc_officer, locality, datetime.date(2025, 12, 10), 32)
    _killings(joc_officer, locality, datetime.date(2026, 2, 1), 4)
    rollup_rebuild(mission=mission_a)
    # then 2026 to date has no previous value: 2025 holds December only
    year = _headline("POC-01", mission_a, "year", datetime.date(2026, 1, 1))
    assert year is not None and (year.previous_value, year.change) == (None, None)
    # and January compares with the whole of December
    january = _headline("POC-01", mission_a, "month", datetime.date(2026, 1, 1))
    assert january is not None and (january.previous_value, january.change) == (32, -32)
