"""The rollup engine's guarantees: idempotent, atomic, safe under concurrency, fresh, and a
constant number of queries whatever the data size."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection, connections

from indicators.models import Indicator, Observation, ObservationValue, Rollup
from indicators.rollups import BucketRange, rollup_rebuild, rollup_refresh
from indicators.rollups import service as rollup_service
from tests.factories.missions import LocalityFactory

pytestmark = pytest.mark.django_db

WEEK = datetime.date(2026, 3, 2)  # a Monday
COLUMNS = (
    "area_key",
    "period",
    "period_start",
    "disaggregation",
    "breakdown",
    "value",
    "provisional_value",
    "previous_value",
    "official_count",
    "source_changed_at",
)


def _log_weeks(locality, weeks: int, value: int = 2) -> Indicator:
    """Validated weekly observations of joint protection team missions, created directly."""
    indicator = Indicator.objects.get(code="POC-19")
    for n in range(weeks):
        start = WEEK + datetime.timedelta(weeks=n)
        o = Observation.objects.create(
            indicator=indicator,
            mission=locality.mission,
            area=locality,
            period_start=start,
            period_end=start + datetime.timedelta(days=6),
            state="validated",
            validated_at=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC),
        )
        ObservationValue.objects.create(observation=o, value=value)
    return indicator


def _rows(indicator: Indicator) -> list[tuple]:
    return sorted(Rollup.objects.filter(indicator=indicator).values_list(*COLUMNS))


def _range(indicator: Indicator, locality, weeks: int = 1) -> BucketRange:
    end = WEEK + datetime.timedelta(weeks=weeks, days=-1)
    return BucketRange(indicator.pk, locality.mission_id, locality.pk, WEEK, end)


def test_rollup_refresh_twice_changes_nothing() -> None:
    # given rollups refreshed once, as a first delivery of the task would
    locality = LocalityFactory()
    indicator = _log_weeks(locality, weeks=3)
    rollup_refresh(ranges=[_range(indicator, locality, 3)])
    first = _rows(indicator)
    # when the same refresh runs again (a retry, a duplicate delivery)
    rollup_refresh(ranges=[_range(indicator, locality, 3)])
    # then nothing changes, and it equals a rebuild
    assert _rows(indicator) == first
    rollup_rebuild(mission=locality.mission)
    assert _rows(indicator) == first
    month = Rollup.objects.get(
        indicator=indicator, area__isnull=True, period="month", disaggregation="total", breakdown=""
    )
    assert month.value == Decimal(6) and month.official_count == 3


def test_rollup_rebuild_is_all_or_nothing() -> None:
    # given computed rollups
    locality = LocalityFactory()
    indicator = _log_weeks(locality, weeks=2)
    rollup_rebuild(mission=locality.mission)
    before = _rows(indicator)
    assert before
    # when a rebuild fails half-way through the indicators
    real_insert = rollup_service.insert_rollups
    calls = iter(range(1000))

    def failing_insert(*args, **kwargs):
        if next(calls) == 5:
            raise RuntimeError("the database went away")
        return real_insert(*args, **kwargs)

    with mock.patch.object(rollup_service, "insert_rollups", failing_insert):
        with pytest.raises(RuntimeError):
            rollup_rebuild(mission=locality.mission)
    # then the mission's rollups are exactly as they were
    assert _rows(indicator) == before


def test_rollup_records_when_and_from_what() -> None:
    locality = LocalityFactory()
    indicator = _log_weeks(locality, weeks=1)
    rollup_rebuild(mission=locality.mission)
    newest = Observation.objects.order_by("-updated_at").first().updated_at
    row = Rollup.objects.get(
        indicator=indicator, area__isnull=True, period="week", disaggregation="total", breakdown=""
    )
    assert row.source_changed_at == newest
    assert row.computed_at >= newest


@pytest.mark.parametrize("weeks", [1, 30])
def test_rollup_refresh_query_count_does_not_grow_with_data(
    weeks: int, django_assert_max_num_queries
) -> None:
    locality = LocalityFactory()
    indicator = _log_weeks(locality, weeks=weeks)
    rollup_refresh(ranges=[_range(indicator, locality)])  # the calendar's first fill, once
    # Expected, whatever the data size: the missions' time zones (their today); calendar
    # bounds; indicators; area ancestors; SAVEPOINT; advisory lock and work_mem (PostgreSQL);
    # delete; insert … select; two updates of previous values and change; three updates of the
    # running periods' previous values over the same span before; whether the place has a
    # report before the range, then three of its report counts and completeness status (a
    # hand-logged indicator); the mission's stamp; RELEASE SAVEPOINT.
    with django_assert_max_num_queries(21):
        rollup_refresh(ranges=[_range(indicator, locality)])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_refreshes_do_not_double_count() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; concurrency is a PostgreSQL matter")
    # given weekly data, and rollups computed once as a reference
    locality = LocalityFactory()
    indicator = _log_weeks(locality, weeks=8)
    rollup_rebuild(mission=locality.mission)
    expected = _rows(indicator)
    Rollup.objects.all().delete()
    # when four workers refresh overlapping ranges at the same moment
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker(weeks: int) -> None:
        try:
            start.wait()
            rollup_refresh(ranges=[_range(indicator, locality, weeks)])
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(w,)) for w in (8, 8, 4, 6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then no worker failed, and no bucket is missing or counted twice
    assert errors == []
    assert _rows(indicator) == expected
