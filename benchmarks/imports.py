"""Import benchmark on PostgreSQL: a generated UCDP GED file through the import engine, against
a bare `COPY` of the same file into a staging table.

    .venv/bin/python benchmarks/imports.py                 # 100,000 events
    .venv/bin/python benchmarks/imports.py --events 20000

It creates (and afterwards drops, unless --keep) a database of its own, migrates it, and makes
one mission with the areas of the tests' files (tests/imports/files.py). It writes a GED-shaped
CSV of the events (many years from 1989, multi-day events, blank admin names, headlines with
line breaks), then:

- floor: `COPY staging FROM STDIN (FORMAT csv, HEADER)` of the file into an unlogged table of
  text columns, the bare database work of taking the rows in;
- import: `import_create` and `import_execute` as `manage.py import_incidents` runs them
  (read, parse, place, check, write the incidents and their audit entries), timed to the end
  of its writes; then the commit and the one rebuild of the mission's figures it asks for,
  timed apart;
- memory: the process's resident memory, sampled every 20 ms, during a first import of a
  tenth of the events into another mission and during the full import: flat memory shows as
  the same peak above the baseline.

It prints the figures as Markdown.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/poc_imports")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


def _admin(url: str, sql: str) -> None:
    import psycopg2

    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql)
    admin.close()


def rss_mb() -> float:
    """The process's resident memory now, in MiB (Linux)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class PeakMemory:
    """The highest resident memory seen while the block runs, sampled by a thread."""

    def __enter__(self) -> PeakMemory:
        self.baseline = self.peak = rss_mb()
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.02)

    def __exit__(self, *exc: Any) -> None:
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, rss_mb())


def write_file(path: Path, events: int) -> None:
    """The GED file, written in slices so that its rows are never all in memory at once."""
    from tests.imports.files import GED_COLUMNS, ged_rows

    step = 10_000
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=GED_COLUMNS)
        writer.writeheader()
        for start in range(0, events, step):
            writer.writerows(
                ged_rows(min(step, events - start), seed=start, first_id=1_000_000 + start)
            )


def copy_floor(path: Path) -> float:
    from django.db import connection, transaction

    from tests.imports.files import GED_COLUMNS

    columns = ", ".join(f'"{c}" text' for c in GED_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS import_staging")
        cursor.execute(f"CREATE UNLOGGED TABLE import_staging ({columns})")
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, path.open("rb") as handle:
        cursor.copy_expert("COPY import_staging FROM STDIN WITH (FORMAT csv, HEADER true)", handle)
    elapsed = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM import_staging")
        (rows,) = cursor.fetchone()
    return elapsed if rows else float("nan")


def run(path: Path, mission: Any, by: Any) -> tuple[Any, float, float]:
    """Import the file; the time to the end of its writes, and that of commit and figures."""
    from django.db import transaction

    from imports.services import import_create, import_execute

    with path.open("rb") as stream:
        began = time.perf_counter()
        with transaction.atomic():  # holds the on-commit rebuild until the writes are timed
            created = import_create(
                by=by, mission=mission, file=stream, file_name=path.name, preset="ucdp-ged",
                keep_file=False, verification_status="verified",
            )  # fmt: skip
            import_execute(run=created, by=by, stream=stream)
            written = time.perf_counter()
        committed = time.perf_counter()
    created.refresh_from_db()
    return created, written - began, committed - written


def main() -> None:
    args = parse()
    os.environ["DATABASE_URL"] = args.database_url
    # plain HTTP on loopback, and no rate limit in the way of the measurement
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("SECURE_COOKIES", "false")
    os.environ.setdefault("API_RATE", "1000000/minute")
    os.environ.setdefault("SECRET_KEY", "benchmark")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poc_tracker.settings")
    os.environ.pop("CELERY_BROKER_URL", None)  # tasks in-process: the figures' rebuild is timed
    name = args.database_url.rsplit("/", 1)[1]
    _admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}"')
    _admin(args.database_url, f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tests.factories.accounts import AdministratorFactory
    from tests.factories.missions import MissionFactory
    from tests.imports.files import HOST, build_mission_areas

    try:
        call_command("migrate", verbosity=0)
        by = AdministratorFactory()
        small_mission = MissionFactory(acronym="SMALL", host_country=HOST)
        mission = MissionFactory(acronym="FULL", host_country=HOST)
        build_mission_areas(small_mission)
        build_mission_areas(mission)
        with tempfile.TemporaryDirectory() as directory:
            small, full = Path(directory) / "small.csv", Path(directory) / "ged.csv"
            write_file(small, args.events // 10)
            write_file(full, args.events)
            size = full.stat().st_size
            with PeakMemory() as small_memory:
                run(small, small_mission, by)
            with PeakMemory() as memory:
                outcome, writes, figures = run(full, mission, by)
            floor = copy_floor(full)
        assert outcome.status == "imported", (outcome.status, outcome.error, outcome.report)
        events = outcome.counts["created"]
        print(f"| {events:,} GED events ({size / 2**20:.1f} MiB CSV) | figure |")
        print("| --- | --- |")
        print(f"| import: read, place, check, write with audit entries | {writes:.1f} s |")
        print(f"| events per second | {events / writes:,.0f} |")
        print(f"| floor: bare COPY into a staging table | {floor:.2f} s |")
        print(f"| ratio import / COPY | {writes / floor:.0f}× |")
        print(f"| commit and the mission's figures rebuilt once | {figures:.1f} s |")
        print(
            f"| peak memory above baseline, {args.events // 10:,} events"
            f" | {small_memory.peak - small_memory.baseline:.0f} MiB |"
        )
        print(
            f"| peak memory above baseline, {events:,} events"
            f" | {memory.peak - memory.baseline:.0f} MiB (process peak {memory.peak:.0f} MiB) |"
        )
    finally:
        connection.close()
        if not args.keep:
            _admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
