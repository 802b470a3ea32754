"""A full rebuild on PostgreSQL swaps a fresh table in: its schema stays what the migrations
made, readers never see half of it, a refresh meanwhile is not lost, and no dead rows pile up."""

from __future__ import annotations

import datetime
import threading
import time
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.db import connection, connections

from indicators.models import Indicator, Observation, ObservationValue, Rollup
from indicators.rollups import BucketRange, rollup_rebuild, rollup_refresh
from indicators.rollups import service as rollup_service
from tests.factories.missions import LocalityFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WEEK = datetime.date(2026, 3, 2)  # a Monday
TABLE = Rollup._meta.db_table


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite rebuilds in place; the swap and its concurrency are PostgreSQL's")


def _observe(locality, start: datetime.date, value: int) -> Observation:
    o = Observation.objects.create(
        indicator=Indicator.objects.get(code="POC-19"),
        mission=locality.mission,
        area=locality,
        period_start=start,
        period_end=start + datetime.timedelta(days=6),
        state="validated",
        validated_at=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC),
    )
    ObservationValue.objects.create(observation=o, value=value)
    return o


def _weeks(locality, weeks: int, value: int = 2) -> None:
    for n in range(weeks):
        _observe(locality, WEEK + datetime.timedelta(weeks=n), value)


def _schema() -> dict[str, Any]:
    """The rollup table as the catalogue describes it: columns, constraints, indexes."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT attname, format_type(atttypid, atttypmod), attnotnull, attidentity,
                      attgenerated, pg_get_expr(d.adbin, d.adrelid)
               FROM pg_attribute a LEFT JOIN pg_attrdef d
                    ON d.adrelid = a.attrelid AND d.adnum = a.attnum
               WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped
               ORDER BY attnum""",
            [TABLE],
        )
        columns = cursor.fetchall()
        cursor.execute(
            """SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint
               WHERE conrelid = %s::regclass ORDER BY conname""",
            [TABLE],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY 1",
            [TABLE],
        )
        indexes = cursor.fetchall()
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
        sequence = cursor.fetchone()[0]
    return {
        "columns": columns,
        "constraints": constraints,
        "indexes": indexes,
        "sequence": sequence,
    }


def _rows() -> list[tuple[Any, ...]]:
    columns = ("indicator_id", "area_key", "period", "period_start", "disaggregation")
    return sorted(Rollup.objects.values_list(*columns, "breakdown", "value", "official_count"))


def _state() -> tuple[int, Decimal | None]:
    """What a reader sees of the rollups: how many rows, and the sum of their values."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), SUM(value) FROM {TABLE}")
        count, total = cursor.fetchone()
    return count, total


def _size() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size(%s)", [TABLE])
        size: int = cursor.fetchone()[0]
    return size


def test_rebuild_keeps_the_tables_schema_and_leaves_no_dead_rows() -> None:
    # given rollups of a few weeks, and the table as the migrations made it
    locality = LocalityFactory()
    _weeks(locality, weeks=5)
    before = _schema()
    assert before["indexes"] and before["constraints"]
    # when every mission is rebuilt three times in a row
    rollup_rebuild()
    first = _size()
    rollup_rebuild()
    rollup_rebuild()
    # then the table has the same columns, constraints, indexes and names as before
    assert _schema() == before
    # and its constraints still hold: one row per bucket, the generated area key
    with pytest.raises(Exception, match="one_per_bucket"):
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (indicator_id, mission_id, area_id, level, period, "
                "period_start, period_end, disaggregation, breakdown, official_count, "
                "provisional_count, status, covered_days, computed_at) "
                f"SELECT indicator_id, mission_id, area_id, level, period, period_start, "
                "period_end, disaggregation, breakdown, 0, 0, status, covered_days, computed_at "
                f"FROM {TABLE} LIMIT 1"
            )
    assert Rollup.objects.filter(area__isnull=True, area_key=0).exists()
    # and rewriting the same rows grew the table by nothing: no dead rows left behind
    assert _size() == first


def test_a_reader_sees_all_old_or_all_new_rows_during_a_rebuild() -> None:
    # given rollups as a reader sees them, then more data than they count
    locality = LocalityFactory()
    _weeks(locality, weeks=4)
    rollup_rebuild()
    old = _state()
    _weeks(LocalityFactory(mission=locality.mission), weeks=6, value=3)
    # when a rebuild runs slowly (each indicator takes a while) while a reader reads on
    real_insert = rollup_service.insert_rollups

    def slow_insert(*args: Any, **kwargs: Any) -> int:
        time.sleep(0.02)
        return real_insert(*args, **kwargs)

    seen: set[tuple[int, Decimal | None]] = set()
    errors: list[BaseException] = []
    done = threading.Event()

    def reader() -> None:
        try:
            while not done.is_set():
                seen.add(_state())
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        with mock.patch.object(rollup_service, "insert_rollups", slow_insert):
            rollup_rebuild()
    finally:
        time.sleep(0.1)  # a last read after the swap
        done.set()
        thread.join()
    # then the reader only ever saw the old rows or the new ones, never a mix or an empty table
    new = _state()
    assert errors == []
    assert new != old
    assert old in seen
    assert seen <= {old, new}


def test_a_refresh_during_a_rebuild_waits_and_is_not_lost() -> None:
    # given weekly data and its rollups
    locality = LocalityFactory()
    _weeks(locality, weeks=3)
    rollup_rebuild()
    indicator = Indicator.objects.get(code="POC-19")
    # when a rebuild has computed the indicator's rows but not swapped them in yet
    computed, release = threading.Event(), threading.Event()
    real_insert = rollup_service.insert_rollups

    def pausing_insert(which: Indicator, *args: Any, **kwargs: Any) -> int:
        written = real_insert(which, *args, **kwargs)
        if which.pk == indicator.pk:
            computed.set()
            release.wait(timeout=30)
        return written

    errors: list[BaseException] = []

    def run(function: Any, **kwargs: Any) -> None:
        try:
            function(**kwargs)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    with mock.patch.object(rollup_service, "insert_rollups", pausing_insert):
        rebuild = threading.Thread(target=run, args=(rollup_rebuild,))
        rebuild.start()
        assert computed.wait(timeout=30)
        # and a new observation is saved, and its refresh starts
        week = WEEK + datetime.timedelta(weeks=3)
        o = _observe(locality, week, value=5)
        refresh = threading.Thread(
            target=run,
            args=(rollup_refresh,),
            kwargs={
                "ranges": [BucketRange(indicator.pk, o.mission_id, locality.pk, week, o.period_end)]
            },
        )
        refresh.start()
        refresh.join(timeout=1)
        # then the refresh waits for the rebuild, rather than writing into the old table
        assert refresh.is_alive()
        release.set()
        rebuild.join()
        refresh.join()
    assert errors == []
    # and once both are done, the new observation counts, exactly as a rebuild counts it
    row = Rollup.objects.get(
        indicator=indicator,
        area__isnull=True,
        period="week",
        period_start=week,
        disaggregation="total",
        breakdown="",
    )
    assert row.value == Decimal(5)
    expected = _rows()
    rollup_rebuild()
    assert _rows() == expected


def test_a_rebuild_that_fails_leaves_the_old_table_as_it_was() -> None:
    # given rollups, and the table as the migrations made it
    locality = LocalityFactory()
    _weeks(locality, weeks=3)
    rollup_rebuild()
    rows, schema = _rows(), _schema()
    # when a full rebuild fails half-way through the indicators
    real_insert = rollup_service.insert_rollups
    calls = iter(range(1000))

    def failing_insert(*args: Any, **kwargs: Any) -> int:
        if next(calls) == 5:
            raise RuntimeError("the database went away")
        return real_insert(*args, **kwargs)

    with mock.patch.object(rollup_service, "insert_rollups", failing_insert):
        with pytest.raises(RuntimeError):
            rollup_rebuild()
    # then the rollups and the table are exactly as they were, with no fresh table left over
    assert _rows() == rows
    assert _schema() == schema
    assert f"{TABLE}_fresh" not in connection.introspection.table_names()
