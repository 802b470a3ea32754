"""The few SQL fragments that differ between PostgreSQL and SQLite."""

from __future__ import annotations

import statistics

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.dispatch import receiver


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def has_grouping_sets() -> bool:
    """Whether one GROUP BY can produce several groupings (SQLite's cannot)."""
    return is_postgresql()


def date_of(column: str) -> str:
    """The UTC calendar date of a timestamp column."""
    if is_postgresql():
        return f"(({column}) AT TIME ZONE 'UTC')::date"
    return f"date({column})"


def hours_between(start: str, end: str) -> str:
    """Hours from `start` to `end`, as a number."""
    if is_postgresql():
        return f"(EXTRACT(EPOCH FROM ({end}) - ({start})) / 3600.0)"
    return f"((julianday({end}) - julianday({start})) * 24.0)"


def days_between(start: str, end: str) -> str:
    """Whole days from `start` to `end` (dates)."""
    if is_postgresql():
        return f"(({end}) - ({start}))"
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"


def days_shared(a_start: str, a_end: str, b_start: str, b_end: str) -> str:
    """Days (inclusive) that two overlapping spans of dates have in common."""
    if is_postgresql():
        return f"(LEAST({a_end}, {b_end}) - GREATEST({a_start}, {b_start}) + 1)"
    # SQLite's two-argument MIN and MAX are scalar; ISO dates compare as text
    return f"({days_between(f'MAX({a_start}, {b_start})', f'MIN({a_end}, {b_end})')} + 1)"


def midpoint(start: str, end: str) -> str:
    """The middle day from `start` to `end` (dates), the earlier of two middle days."""
    if is_postgresql():
        return f"(({start}) + (({end}) - ({start})) / 2)"
    half = f"CAST((julianday({end}) - julianday({start})) / 2 AS INTEGER)"
    return f"date(julianday({start}) + {half})"


def day_before(day: str) -> str:
    if is_postgresql():
        return f"(({day}) - 1)"
    return f"date({day}, '-1 day')"


def median(expression: str) -> str:
    """The median of `expression` over a group; NULLs are ignored."""
    if is_postgresql():
        return f"percentile_cont(0.5) WITHIN GROUP (ORDER BY ({expression}))"
    return f"median({expression})"


def lock_mission(mission_id: int) -> None:
    """Serialise rollup writers of one mission until the transaction ends.

    SQLite needs nothing: its write transactions already run one at a time.
    """
    if is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ROLLUP_LOCK_SPACE, mission_id])


def tune_transaction() -> None:
    """Tune this transaction for the rollup statements; the settings end with it.

    Sorts and hashes get room in memory (PostgreSQL's default 4 MB sends a mission's rollup
    sort to disk). JIT compilation is off: the per-bucket target lookups inflate the planner's
    cost estimate past the JIT thresholds, and compiling then takes longer than running.
    """
    if is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL jit = off")


def refresh_statistics(table: str) -> None:
    """Update the planner's statistics of a table just rewritten in bulk, so the next
    queries (a refresh's index lookups above all) are planned for its real size."""
    if is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


ROLLUP_LOCK_SPACE = 7_710  # first key of PostgreSQL's two-key advisory locks, for rollups


class _Median:
    """SQLite aggregate `median(x)`, the counterpart of PostgreSQL's percentile_cont(0.5)."""

    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value: float | None) -> None:
        if value is not None:
            self.values.append(float(value))

    def finalize(self) -> float | None:
        return statistics.median(self.values) if self.values else None


@receiver(connection_created)
def register_sqlite_functions(
    sender: object, connection: BaseDatabaseWrapper, **kwargs: object
) -> None:
    if getattr(connection, "vendor", None) == "sqlite":
        connection.connection.create_aggregate("median", 1, _Median)
