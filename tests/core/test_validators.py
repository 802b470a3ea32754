"""The record-date window: the validator's bounds, and that it guards every date a user enters."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from pytest_django.fixtures import Settings
from time_machine import TimeMachineFixture

from core.validators import (
    RECORD_DATES_CEILING,
    one_record_dates_window,
    record_dates_window,
    validate_record_date,
    years_after,
)
from tests.record_dates import CASES, TODAY, Case

UTC = datetime.UTC
EAST, WEST = (datetime.timezone(datetime.timedelta(hours=h)) for h in (1, -5))
PROJECT_APPS = (
    "accounts",
    "missions",
    "commitments",
    "threats",
    "incidents",
    "alerts",
    "activities",
    "indicators",
)
# Dates no user enters: set by Django or by the services to "now", or computed by the engine.
SYSTEM_DATES = {
    "accounts.User.last_login",
    "accounts.User.date_joined",
    "indicators.Observation.submitted_at",
    "indicators.Observation.validated_at",
    "indicators.ObservationTransition.at",
    "indicators.Rollup.period_start",
    "indicators.Rollup.period_end",
    "indicators.Rollup.source_changed_at",
    "indicators.Rollup.computed_at",
    "threats.ThreatAssessment.assessed_at",
}


def refused(value: datetime.date | datetime.datetime) -> bool:
    try:
        validate_record_date(value)
    except ValidationError as error:
        assert error.code == "date_out_of_range"
        return True
    return False


@pytest.fixture(autouse=True)
def _today(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(TODAY, tick=False)


def test_record_dates_window_runs_from_1900_to_a_year_after_today() -> None:
    assert record_dates_window() == (datetime.date(1900, 1, 1), datetime.date(2027, 12, 1))


def test_validate_record_date_accepts_the_first_and_last_day() -> None:
    assert not refused(datetime.date(1900, 1, 1))
    assert not refused(datetime.date(2027, 12, 1))


@pytest.mark.parametrize(
    "day",
    [
        datetime.date(1899, 12, 31),
        datetime.date(2027, 12, 2),
        datetime.date.min,
        datetime.date.max,
    ],
)
def test_validate_record_date_refuses_days_outside(day: datetime.date) -> None:
    assert refused(day)


def test_validate_record_date_names_the_window() -> None:
    with translation.override("en"):
        with pytest.raises(ValidationError) as excinfo:
            validate_record_date(datetime.date(9999, 12, 31))
        message = excinfo.value.messages

    assert message == ["Enter a date between 1 January 1900 and 1 December 2027."]


@pytest.mark.parametrize(
    ("moment", "is_refused"),
    [
        pytest.param(datetime.datetime(1900, 1, 1, tzinfo=UTC), False, id="first-utc-midnight"),
        pytest.param(
            datetime.datetime(1900, 1, 1, 0, 30, tzinfo=EAST),
            True,
            id="first-day-locally-but-31-december-in-utc",
        ),
        pytest.param(
            datetime.datetime(2027, 12, 1, 23, 59, 59, 999999, tzinfo=UTC), False, id="last-instant"
        ),
        pytest.param(datetime.datetime(2027, 12, 2, tzinfo=UTC), True, id="day-after-last"),
        pytest.param(
            datetime.datetime(2027, 12, 2, 0, 30, tzinfo=EAST),
            False,
            id="day-after-locally-but-last-day-in-utc",
        ),
    ],
)
def test_validate_record_date_reads_a_timestamp_on_its_utc_day(
    moment: datetime.datetime, is_refused: bool
) -> None:
    assert refused(moment) is is_refused


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(1, 1, 1, tzinfo=EAST),
        datetime.datetime(9999, 12, 31, 23, 59, tzinfo=WEST),
        datetime.datetime(9999, 12, 31, 23, 59),  # noqa: DTZ001 naive: read in the default zone
    ],
    ids=["year-1-east-of-utc", "year-9999-west-of-utc", "naive"],
)
def test_validate_record_date_refuses_far_timestamps_without_overflowing(
    moment: datetime.datetime,
) -> None:
    assert refused(moment)


def test_validate_record_date_follows_the_settings(settings: Settings) -> None:
    settings.RECORD_DATES_FROM = datetime.date(2000, 1, 1)
    settings.RECORD_DATES_YEARS_AHEAD = 0

    assert refused(datetime.date(1999, 12, 31))
    assert not refused(datetime.date(2000, 1, 1))
    assert not refused(datetime.date(2026, 12, 1))
    assert refused(datetime.date(2026, 12, 2))


def test_a_batch_checks_its_dates_against_the_window_of_the_day_it_began(
    time_machine: TimeMachineFixture,
) -> None:
    with one_record_dates_window():
        time_machine.move_to(TODAY + datetime.timedelta(days=1), tick=False)
        assert record_dates_window() == (datetime.date(1900, 1, 1), datetime.date(2027, 12, 1))
        assert not refused(datetime.date(2027, 12, 1))
        assert refused(datetime.date(2027, 12, 2))
    # and afterwards each date reads the clock again
    assert not refused(datetime.date(2027, 12, 2))


def test_years_after_turns_29_february_into_28_february() -> None:
    assert years_after(datetime.date(2028, 2, 29), 1) == datetime.date(2029, 2, 28)


def test_years_after_stops_at_the_ceiling_the_database_holds() -> None:
    assert years_after(datetime.date(2199, 6, 1), 1) == RECORD_DATES_CEILING
    assert years_after(datetime.date(9999, 1, 1), 1) == RECORD_DATES_CEILING


def _record_date_fields() -> list[str]:
    return [
        f"{model._meta.label}.{field.name}"
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateField)  # DateTimeField is one too
        and field.editable
        and field.name not in ("created_at", "updated_at")
        and model._meta.label != "indicators.CalendarDay"
    ]


def test_every_date_a_user_enters_is_in_the_tested_cases() -> None:
    # a new date field gets the validator and the check, or a reason to be a system date
    tested = {f"{case.model._meta.label}.{case.field}" for case in CASES}

    assert set(_record_date_fields()) - SYSTEM_DATES == tested


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.model.__name__}.{case.field}")
def test_every_tested_date_has_the_validator_and_the_check(case: Case) -> None:
    field = case.model._meta.get_field(case.field)
    constraints = {constraint.name for constraint in case.model._meta.constraints}

    assert validate_record_date in field.validators
    assert case.constraint in constraints
