"""Rollup engine benchmark on PostgreSQL: full rebuild against its floor, incremental refresh,
and the rebuilding process's peak memory.

    .venv/bin/python benchmarks/rollups.py                # 1,000,000 observations (default)
    .venv/bin/python benchmarks/rollups.py --scale 0.1    # a tenth of everything

It creates (and afterwards drops, unless --keep) a database of its own, seeds it with the demo
generator, then measures in one run:

- physical floor: for each mission and indicator, one plain SELECT … GROUP BY GROUPING SETS
  over the same facts, giving the same buckets with plain sums and counts, inserted into an
  unlogged table without indexes: what writing these buckets costs at the least;
- today's floor: the engine's own aggregations, ending in a SELECT that writes nothing;
- rebuild: `rollup_rebuild()` for every mission (aggregate, compare with targets, write, swap
  in); the ratio rebuild / physical floor is the engine's overhead;
- the rollup table's size (with indexes) after each of three rebuilds in a row: rebuilds
  must leave no dead rows behind;
- incremental: a refresh after each of 200 new observations (median, p95, rows written), and
  after each of 200 changes to the value of an existing observation, of any year;
- memory: peak RSS of a process rebuilding one mission and one rebuilding all of them.

Figures are printed as Markdown; --output writes them to a file too.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MEMORY_PROBE = """
import resource, django
django.setup()
from django.core.management import call_command
call_command("rollup", *{args!r}, verbosity=0)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the default sizes")
    parser.add_argument("--missions", type=int, default=10)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--saves", type=int, default=200, help="observations for the refresh")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/poc_tracker_bench"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--output", type=Path, help="also write the figures to this file")
    return parser.parse_args()


def recreate_database(url: str) -> None:
    import psycopg2

    name = url.rsplit("/", 1)[1]
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def drop_database(url: str) -> None:
    import psycopg2

    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}"')
    admin.close()


def database_seeded(url: str) -> bool:
    """Whether `url` names a database that already holds the demo data and its rollups."""
    import psycopg2

    try:
        connection = psycopg2.connect(url)
    except psycopg2.OperationalError:
        return False  # no such database yet
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('indicators_rollup') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return False
            cursor.execute("SELECT EXISTS (SELECT 1 FROM indicators_rollup)")
            return bool(cursor.fetchone()[0])
    finally:
        connection.close()


def seed_with_rollups(*, scale: float, missions: int, years: int) -> str:
    """Seed the demo at `scale` of the full size (1,000,000 observations, 100,000 incidents,
    20,000 alerts and activities), then its rollups; say how long it took. Needs Django set up.
    """
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from indicators.rollups import rollup_rebuild
    from indicators.rollups.calendar import calendar_ensure

    started = time.perf_counter()
    call_command(
        "seed_demo",
        "--quiet",
        "--no-rollups",
        missions=missions,
        years=years,
        observations=int(1_000_000 * scale),
        incidents=int(100_000 * scale),
        alerts=int(20_000 * scale),
        activities=int(20_000 * scale),
        localities=12,
    )
    # the rollups as this benchmark builds them: after ANALYZE, or the planner meets tables it
    # believes empty
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    calendar_ensure(start=datetime.date(2000, 1, 1), end=timezone.now().date())
    rollup_rebuild()
    return f"seeded with rollups in {time.perf_counter() - started:.0f} s"


def timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def floor(indicators, missions, as_of) -> int:
    from indicators.rollups.engine import aggregate_only
    from indicators.rollups.facts import FactScope

    buckets = 0
    for mission in missions:
        scope = FactScope(as_of=as_of, mission_id=mission.pk)
        buckets += sum(aggregate_only(i, scope)[0] for i in indicators)
    return buckets


KINDS = ("week", "month", "quarter", "year")
LEVELS = (None, "sector", "aor", "locality")
FLOOR_TABLE = "rollup_physical_floor"


def physical_floor_sql(facts: str) -> str:
    """One plain GROUP BY GROUPING SETS over an indicator's fact rows, giving the same buckets
    as the engine with plain sums and counts: each fact's ancestors and period bounds are
    looked up once, and every (period kind, level, disaggregation, breakdown) is a grouping
    set; a set's NULL group (a fact without a sector, a kind it does not feed) is dropped."""
    from indicators.models import CalendarDay
    from indicators.rollups.facts import FACT_COLUMNS
    from missions.models import Area

    periods = ",\n".join(
        f"CASE WHEN f.min_kind <= {n} AND f.max_kind >= {n} THEN c.{kind}_start END "
        f"AS {kind}_start, c.{kind}_end AS {kind}_end"
        for n, kind in enumerate(KINDS, 1)
    )
    sets = []
    for kind in KINDS:
        for disagg in ("", "disagg, "):
            for level in LEVELS:
                area = f"{level}, " if level else ""
                sets.append(f"(mission_id, {kind}_start, {kind}_end, {area}{disagg}head)")
            for level in LEVELS[:2]:
                area = f"{level}, " if level else ""
                sets.extend(
                    f"(mission_id, {kind}_start, {kind}_end, {area}{disagg}{tag})"
                    for tag in ("tag1", "tag2")
                )
    present = " AND ".join(
        f"(GROUPING({column}) = 1 OR {column} IS NOT NULL)"
        for column in (
            *LEVELS[1:],
            *(f"{k}_start" for k in KINDS),
            "disagg",
            "head",
            "tag1",
            "tag2",
        )
    )
    period = " ".join(f"WHEN GROUPING({k}_start) = 0 THEN '{k}'" for k in KINDS)
    starts = ", ".join(f"{k}_start" for k in KINDS)
    ends = ", ".join(f"{k}_end" for k in KINDS)
    return f"""
        INSERT INTO {FLOOR_TABLE}
        WITH f({FACT_COLUMNS}) AS ({facts}),
        located AS (
            SELECT f.mission_id,
                   CASE WHEN a.kind = 'sector' THEN a.id ELSE a.sector_id END AS sector,
                   CASE WHEN a.kind = 'aor' THEN a.id ELSE a.aor_id END AS aor,
                   CASE WHEN a.kind = 'locality' THEN a.id END AS locality,
                   {periods},
                   CASE WHEN f.disagg <> 'total' THEN f.disagg END AS disagg,
                   CASE WHEN f.headline = 1 THEN '' END AS head, f.tag1, f.tag2,
                   f.value, f.num, f.den, f.official, f.changed_at
            FROM f
            JOIN {CalendarDay._meta.db_table} c ON c.day = f.day
            LEFT JOIN {Area._meta.db_table} a ON a.id = f.area_id
        )
        SELECT mission_id,
               CASE WHEN GROUPING(locality) = 0 THEN 3 WHEN GROUPING(aor) = 0 THEN 2
                    WHEN GROUPING(sector) = 0 THEN 1 ELSE 0 END,
               COALESCE(locality, aor, sector), CASE {period} END,
               COALESCE({starts}), COALESCE({ends}),
               COALESCE(disagg, 'total'), COALESCE(head, tag1, tag2),
               SUM(value) FILTER (WHERE official = 1), SUM(num) FILTER (WHERE official = 1),
               SUM(den) FILTER (WHERE official = 1), SUM(value),
               COUNT(*) FILTER (WHERE official = 1), COUNT(*), MAX(changed_at)
        FROM located
        GROUP BY GROUPING SETS ({", ".join(sets)})
        HAVING {present}"""


def physical_floor(indicators, missions, as_of) -> int:
    """The physical floor: each indicator's buckets of each mission, computed by one plain
    grouping-sets pass over its facts and written to an unlogged table without indexes."""
    from django.db import connection, transaction

    from indicators.rollups import dialect
    from indicators.rollups.facts import FactScope, fact_sql

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
        cursor.execute(
            f"""CREATE UNLOGGED TABLE {FLOOR_TABLE} (
                    mission_id bigint, level smallint, area_id bigint, period varchar(10),
                    period_start date, period_end date, disaggregation varchar(10),
                    breakdown varchar(80), value numeric, numerator numeric,
                    denominator numeric, provisional_value numeric, official_count integer,
                    provisional_count integer, source_changed_at timestamptz)"""
        )
    buckets = 0
    for mission in missions:
        scope = FactScope(as_of=as_of, mission_id=mission.pk)
        with transaction.atomic(), connection.cursor() as cursor:
            dialect.tune_transaction()
            for indicator in indicators:
                facts, params = fact_sql(indicator, scope)
                cursor.execute(physical_floor_sql(facts), params)
                buckets += cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {FLOOR_TABLE}")
    return buckets


def table_mib(table: str) -> float:
    """A table's size with its indexes and TOAST, in MiB."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size(%s)", [table])
        return cursor.fetchone()[0] / 2**20


def peak_rss_kib(args: list[str]) -> int:
    out = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE.format(args=args)],
        cwd=ROOT,
        env=os.environ,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def incremental(saves: int, seed: int) -> tuple[list[float], list[int]]:
    """Refresh after each new validated weekly observation, as the task does; time each one.

    Each is what a JOC officer logs: a locality's figure for its mission's running week or one
    of the seven before, where it has none yet, so the refresh recomputes a year already full
    of records (a week after the last observed one would fall in a year nearly empty)."""
    from django.utils import timezone

    from indicators.models import Indicator, Observation, ObservationValue
    from indicators.rollups.ranges import BucketRange
    from indicators.tasks import refresh_rollups_task
    from missions.models import Area

    dice = random.Random(seed)
    indicator = Indicator.objects.get(code="POC-19")  # weekly, summed
    localities = list(Area.objects.filter(kind="locality").select_related("mission"))
    localities.sort(key=lambda area: area.pk)
    seconds, rows = [], []
    for _ in range(saves):
        while True:
            area = dice.choice(localities)
            today = area.mission.local_date()
            start = today - datetime.timedelta(days=today.weekday(), weeks=dice.randrange(8))
            if not Observation.objects.filter(
                indicator=indicator, area=area, period_start=start
            ).exists():
                break
        observation = Observation.objects.create(
            indicator=indicator,
            mission_id=area.mission_id,
            area=area,
            period_start=start,
            period_end=start + datetime.timedelta(days=6),
            state="validated",
            validated_at=timezone.now(),
        )
        ObservationValue.objects.create(observation=observation, value=dice.randint(0, 9))
        key = BucketRange(
            indicator.pk, area.mission_id, area.pk, start, observation.period_end
        ).to_key()
        elapsed, written = timed(refresh_rollups_task.apply, args=[[key]])
        seconds.append(elapsed)
        rows.append(written.get())
    return seconds, rows


def edits(saves: int, seed: int) -> tuple[list[float], list[int]]:
    """Refresh after each change to the value of an existing observation, any of the years."""
    from indicators.models import Indicator, ObservationValue
    from indicators.rollups.ranges import BucketRange
    from indicators.tasks import refresh_rollups_task

    dice = random.Random(seed)
    values = ObservationValue.objects.filter(
        observation__indicator=Indicator.objects.get(code="POC-19")
    ).select_related("observation")
    count = values.count()
    seconds, rows = [], []
    for _ in range(saves):
        value = values.order_by("pk")[dice.randrange(count)]
        ObservationValue.objects.filter(pk=value.pk).update(value=dice.randint(0, 9))
        o = value.observation
        key = BucketRange(o.indicator_id, o.mission_id, o.area_id, o.period_start, o.period_end)
        elapsed, written = timed(refresh_rollups_task.apply, args=[[key.to_key()]])
        seconds.append(elapsed)
        rows.append(written.get())
    return seconds, rows


def percentiles(seconds: list[float]) -> tuple[float, float]:
    """Median and 95th percentile, in milliseconds."""
    ms = sorted(s * 1000 for s in seconds)
    return statistics.median(ms), ms[max(0, int(len(ms) * 0.95) - 1)]


def main() -> None:
    args = parse()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SECRET_KEY", "benchmark")
    os.environ.pop("CELERY_BROKER_URL", None)  # tasks in-process: the refresh is what we time
    os.environ["DJANGO_SETTINGS_MODULE"] = "poc_tracker.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    recreate_database(args.database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from indicators.models import Indicator, Observation, Rollup
    from indicators.rollups import rollup_rebuild
    from indicators.rollups.calendar import calendar_ensure
    from missions.models import Mission

    sizes = {
        "observations": int(1_000_000 * args.scale),
        "incidents": int(100_000 * args.scale),
        "alerts": int(20_000 * args.scale),
        "activities": int(20_000 * args.scale),
    }
    call_command("migrate", verbosity=0)
    seed_seconds, _ = timed(
        call_command,
        "seed_demo",
        "--quiet",
        "--no-rollups",
        missions=args.missions,
        years=args.years,
        **sizes,
        localities=12,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts = {
        "observations": Observation.objects.count(),
        "observation values": Observation.values.rel.related_model.objects.count(),
    }
    indicators = list(Indicator.objects.filter(is_active=True))
    missions = list(Mission.objects.order_by("pk"))
    as_of = timezone.now().date()
    calendar_ensure(start=datetime.date(2000, 1, 1), end=as_of)

    floors, physical, rebuilds, sizes_mib = [], [], [], []
    for _ in range(3):  # alternate, keep the best of three of each, and watch the table grow
        seconds, buckets = timed(floor, indicators, missions, as_of)
        floors.append(seconds)
        seconds, physical_buckets = timed(physical_floor, indicators, missions, as_of)
        physical.append(seconds)
        seconds, written = timed(rollup_rebuild)
        rebuilds.append(seconds)
        sizes_mib.append(table_mib(Rollup._meta.db_table))
    rollups = Rollup.objects.count()
    refresh_seconds, refresh_rows = incremental(args.saves, seed=7)
    new_median, new_p95 = percentiles(refresh_seconds)
    edit_seconds, edit_rows = edits(args.saves, seed=8)
    edit_median, edit_p95 = percentiles(edit_seconds)
    one = missions[0].acronym
    rss_one = peak_rss_kib(["--mission", one])
    rss_all = peak_rss_kib([])
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]

    best_floor, best_physical, best_rebuild = min(floors), min(physical), min(rebuilds)
    table_sizes = ", ".join(f"{size:.0f}" for size in sizes_mib)
    report = f"""## Run of {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC

Command: `.venv/bin/python benchmarks/rollups.py --scale {args.scale:g} --missions {args.missions} --years {args.years} --saves {args.saves}`

Machine: {os.cpu_count()} cores, {_memory_gib():.0f} GiB, {platform.platform()}, Python {platform.python_version()}, PostgreSQL {server}.

Data ({args.missions} missions, {args.years} years; seeded in {seed_seconds:.0f} s): {counts["observations"]:,} observations ({counts["observation values"]:,} values), {sizes["incidents"]:,} incidents, {sizes["alerts"]:,} alerts, {sizes["activities"]:,} activities, {len(indicators)} indicators.

| measure | figure |
|---|---|
| physical floor: one grouping-sets pass into an unlogged table (best of 3) | {best_physical:.1f} s ({physical_buckets:,} buckets) |
| today's floor: the engine's aggregations alone, writing nothing (best of 3) | {best_floor:.1f} s ({buckets:,} buckets) |
| full rebuild of every mission (best of 3) | {best_rebuild:.1f} s ({written:,} rows) |
| **rebuild / physical floor** | **{best_rebuild / best_physical:.2f}×** (aim ≤ 3×) |
| rebuild / today's floor | {best_rebuild / best_floor:.2f}× |
| refresh after one new observation, median | **{new_median:.1f} ms** (aim ≤ 30 ms) |
| refresh after one new observation, p95 | **{new_p95:.1f} ms** (aim ≤ 60 ms) |
| rows rewritten per refresh (median, max) | {statistics.median(refresh_rows):.0f}, {max(refresh_rows)} |
| refresh after editing an observation of any year, median | {edit_median:.1f} ms |
| refresh after editing an observation of any year, p95 | {edit_p95:.1f} ms |
| rows rewritten per edit's refresh (median, max) | {statistics.median(edit_rows):.0f}, {max(edit_rows)} |
| peak RSS rebuilding one mission ({one}) | {rss_one / 1024:.0f} MiB |
| peak RSS rebuilding all {args.missions} missions | {rss_all / 1024:.0f} MiB |
| rollup rows stored | {rollups:,} |
| rollup table with indexes after each of 3 rebuilds in a row | {table_sizes} MiB |
"""
    print(report)
    if args.output:
        args.output.write_text(report)
    connection.close()
    if not args.keep:
        drop_database(args.database_url)


def _memory_gib() -> float:
    pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    return pages * size / 2**30


if __name__ == "__main__":
    main()
