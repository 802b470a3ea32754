"""Every date a user enters stays in the record-date window: at the edge and in the database."""

from __future__ import annotations

import datetime

import pytest
from time_machine import TimeMachineFixture

from tests.record_dates import (
    BOUNDARIES,
    CASE_PARAMS,
    FAR,
    OUTSIDE,
    TODAY,
    Case,
    assert_database_refuses,
    field_error_codes,
    value_for,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("day", "time"), OUTSIDE.values(), ids=OUTSIDE)
@pytest.mark.parametrize("case", CASE_PARAMS)
def test_record_dates_outside_the_window_are_field_errors(
    case: Case, day: datetime.date, time: datetime.time, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(TODAY, tick=False)

    assert "date_out_of_range" in field_error_codes(case, value_for(case, day, time))


@pytest.mark.parametrize(("day", "time"), BOUNDARIES.values(), ids=BOUNDARIES)
@pytest.mark.parametrize("case", CASE_PARAMS)
def test_record_dates_on_the_window_edges_are_accepted(
    case: Case, day: datetime.date, time: datetime.time, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(TODAY, tick=False)

    assert "date_out_of_range" not in field_error_codes(case, value_for(case, day, time))


@pytest.mark.parametrize("day", FAR.values(), ids=FAR)
@pytest.mark.parametrize("case", CASE_PARAMS)
def test_record_dates_far_ones_are_refused_by_the_database(case: Case, day: datetime.date) -> None:
    assert_database_refuses(case, day)
