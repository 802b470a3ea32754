"""The few SQL fragments that differ between PostgreSQL and SQLite."""

from __future__ import annotations

import datetime
import statistics
import zoneinfo

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.dispatch import receiver


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def has_grouping_sets() -> bool:
    """Whether one GROUP BY can produce several groupings (SQLite's cannot)."""
    return is_postgresql()


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


def date_parameter() -> str:
    """A query parameter holding a date (SQLite's CAST AS DATE would make it a number)."""
    return "CAST(%s AS DATE)" if is_postgresql() else "%s"


def later(a: str, b: str) -> str:
    """The later of two dates."""
    return f"GREATEST({a}, {b})" if is_postgresql() else f"MAX({a}, {b})"


def earlier(a: str, b: str) -> str:
    """The earlier of two dates."""
    return f"LEAST({a}, {b})" if is_postgresql() else f"MIN({a}, {b})"


def local_date(instant: str, time_zone: str) -> str:
    """The calendar date of a timestamp in a time zone named by a column."""
    if is_postgresql():
        return f"(({instant}) AT TIME ZONE {time_zone})::date"
    return f"local_date({instant}, {time_zone})"


def midpoint(start: str, end: str) -> str:
    """The middle day from `start` to `end` (dates), the earlier of two middle days."""
    if is_postgresql():
        return f"(({start}) + (({end}) - ({start})) / 2)"
    half = f"CAST((julianday({end}) - julianday({start})) / 2 AS INTEGER)"
    return f"date(julianday({start}) + {half})"


def day_after(day: str, days: str) -> str:
    """The date `days` (an integer expression) days after `day`."""
    if is_postgresql():
        return f"(({day}) + ({days}))"
    return f"date({day}, '+' || ({days}) || ' days')"


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


def can_swap_tables() -> bool:
    """Whether a rebuild can fill a fresh table and swap it in (SQLite rewrites in place)."""
    return is_postgresql()


def hold_writers(table: str) -> None:
    """Make every other writer of `table` wait until this transaction ends; readers go on.

    A SHARE lock conflicts with the ROW EXCLUSIVE lock each INSERT, UPDATE and DELETE takes;
    a writer waiting for it opens the table again once it has it, so after a swap it writes
    into the new table.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {connection.ops.quote_name(table)} IN SHARE MODE")


def fresh_copy(table: str) -> str:
    """Create an empty table shaped like `table` (columns, defaults, generated columns,
    identity, CHECK constraints) but without its indexes, to be loaded, then swapped in."""
    fresh = f"{table}_fresh"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {connection.ops.quote_name(fresh)} "
            f"(LIKE {connection.ops.quote_name(table)} INCLUDING ALL EXCLUDING INDEXES)"
        )
    return fresh


def index_fresh(table: str, fresh: str) -> list[str]:
    """Build on the loaded `fresh` the indexes of `table` and the constraints they back
    (primary key, unique), read from the catalogue, under temporary names; gather its
    statistics. Returns the statements that give them, and its identity sequence, the names
    of `table`'s once `swap_in` has dropped it."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute(
            """SELECT i.relname, pg_get_indexdef(x.indexrelid), c.conname,
                      pg_get_constraintdef(c.oid)
               FROM pg_index x
               JOIN pg_class i ON i.oid = x.indexrelid
               LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid
                    AND c.conrelid = x.indrelid AND c.contype IN ('p', 'u', 'x')
               WHERE x.indrelid = %s::regclass ORDER BY i.relname""",
            [table],
        )
        indexes = cursor.fetchall()
        renames = []
        for n, (index, definition, constraint, constraint_definition) in enumerate(indexes):
            temporary = f"{fresh}_{n}"
            if constraint is not None:
                cursor.execute(
                    f"ALTER TABLE {quote(fresh)} ADD CONSTRAINT {quote(temporary)} "
                    f"{constraint_definition}"
                )
                renames.append(
                    f"ALTER TABLE {quote(table)} RENAME CONSTRAINT {quote(temporary)} "
                    f"TO {quote(constraint)}"
                )
                if constraint != index:  # the constraint renames its index along with it
                    renames.append(f"ALTER INDEX {quote(constraint)} RENAME TO {quote(index)}")
            else:
                unique = "UNIQUE " if definition.startswith("CREATE UNIQUE") else ""
                method = definition.split(" USING ", 1)[1]
                cursor.execute(
                    f"CREATE {unique}INDEX {quote(temporary)} ON {quote(fresh)} USING {method}"
                )
                renames.append(f"ALTER INDEX {quote(temporary)} RENAME TO {quote(index)}")
        cursor.execute(f"ANALYZE {quote(fresh)}")
        cursor.execute(
            """SELECT attname, pg_get_serial_sequence(%s, attname),
                      pg_get_serial_sequence(%s, attname)
               FROM pg_attribute WHERE attrelid = %s::regclass AND attidentity <> ''""",
            [table, fresh, table],
        )
        for _, old, new in cursor.fetchall():
            name = old.rsplit(".", 1)[-1].strip('"')
            renames.append(f"ALTER SEQUENCE {new} RENAME TO {quote(name)}")
    return renames


def swap_in(table: str, fresh: str, renames: list[str]) -> None:
    """Replace `table` by `fresh`, indexed by `index_fresh`, within this transaction, under
    the same names: the schema stays exactly what the migrations made. Readers see the old
    table until the transaction commits, the new one after, and no dead rows are left."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
        cursor.execute(
            f"ALTER TABLE {connection.ops.quote_name(fresh)} "
            f"RENAME TO {connection.ops.quote_name(table)}"
        )
        for statement in renames:
            cursor.execute(statement)


def settle(table: str) -> None:
    """Vacuum a table just loaded and swapped in, once its transaction has committed.

    Its rows are then marked visible to all (hint bits, visibility map) in one pass, instead
    of by the first refreshes that read them. VACUUM cannot run inside a transaction: called
    inside one (a test, a caller's atomic block), it does nothing.
    """
    if is_postgresql() and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {connection.ops.quote_name(table)}")


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


def _local_date(instant: str | None, time_zone: str | None) -> str | None:
    """SQLite function `local_date(ts, tz)`, PostgreSQL's `(ts AT TIME ZONE tz)::date`."""
    if instant is None or time_zone is None:
        return None
    moment = datetime.datetime.fromisoformat(instant)
    if moment.tzinfo is None:  # Django stores UTC in SQLite without an offset
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(zoneinfo.ZoneInfo(time_zone)).date().isoformat()


@receiver(connection_created)
def register_sqlite_functions(
    sender: object, connection: BaseDatabaseWrapper, **kwargs: object
) -> None:
    if getattr(connection, "vendor", None) == "sqlite":
        connection.connection.create_aggregate("median", 1, _Median)
        connection.connection.create_function("local_date", 2, _local_date, deterministic=True)
