"""Report benchmark on PostgreSQL: the all-missions yearly POC report as JSON, against one bare
SQL query over the rollup table that returns the same numbers.

    .venv/bin/python benchmarks/reports.py --database-url postgres://postgres@127.0.0.1:5432/poc_bench

It reads a database seeded by an earlier benchmark (benchmarks/api.py --keep, or seed_demo),
migrated to the current schema first, and changes nothing in it. As the Secretariat (every
mission), it times `GET /api/v1/reports/poc/?period=<year>` through Django's test client (the
whole server side: authentication, the query, protection of small counts, the JSON), and the
bare query: the same mission-level rollup rows of the year for the report's indicators, with
their value, previous value, change, target and status, fetched as tuples. Median of the runs,
alternated, after one warm-up of each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--year", type=int, help="the year reported (default: the last full one)")
    parser.add_argument("--repeat", type=int, default=15)
    return parser.parse_args()


BARE = """
    SELECT r.mission_id, i.code, r.disaggregation, r.breakdown, r.value, r.previous_value,
           r.change, r.target, r.status
    FROM indicators_rollup r JOIN indicators_indicator i ON i.id = r.indicator_id
    WHERE r.area_id IS NULL AND r.period = 'year' AND r.period_start = %(start)s
      AND (
        (i.derivation = ANY(%(derived)s)
         AND (r.disaggregation = 'total' OR (r.breakdown = '' AND i.derivation = ANY(%(by_sex)s)
                                             AND r.disaggregation <> 'total'))
         AND (r.breakdown = '' OR EXISTS (
               SELECT 1 FROM unnest(%(pair_derivations)s, %(pair_prefixes)s) AS p(d, prefix)
               WHERE p.d = i.derivation AND split_part(r.breakdown, ':', 1) || ':' = p.prefix))
         -- what the Secretariat may not see: restricted breakdowns
         AND NOT (i.derivation = ANY(%(restricted)s) AND (r.breakdown <> '' OR r.disaggregation <> 'total'))
         AND r.breakdown <> ALL(%(restricted_breakdowns)s))
        OR (i.derivation = '' AND r.breakdown = '' AND r.disaggregation = 'total')
      )
    ORDER BY r.mission_id, i.code, r.breakdown, r.disaggregation
"""


def main() -> None:
    args = parse()
    os.environ["DATABASE_URL"] = args.database_url
    # plain HTTP on loopback, and no rate limit in the way of the measurement
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("SECURE_COOKIES", "false")
    os.environ.setdefault("API_RATE", "1000000/minute")
    os.environ.setdefault("SECRET_KEY", "benchmark")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poc_tracker.settings")
    import django

    django.setup()
    import datetime

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from indicators.models import Rollup
    from reports.selectors import RESTRICTED_BREAKDOWNS, RESTRICTED_DERIVATIONS, SECTIONS
    from tests.factories.accounts import SecretariatFactory

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    year = args.year or datetime.datetime.now(tz=datetime.UTC).year - 1
    start = datetime.date(year, 1, 1)
    params = {
        "start": start,
        "derived": [d for s in SECTIONS for d in s.derivations],
        "by_sex": [d for s in SECTIONS if s.by_sex_age for d in s.derivations],
        "pair_derivations": [d for s in SECTIONS for d in s.derivations for _p in s.breakdowns],
        "pair_prefixes": [p for s in SECTIONS for _d in s.derivations for p in s.breakdowns],
        "restricted": sorted(RESTRICTED_DERIVATIONS),
        "restricted_breakdowns": sorted(RESTRICTED_BREAKDOWNS),
    }
    reader = SecretariatFactory()
    client = Client()
    client.force_login(reader)

    def served() -> float:
        began = time.perf_counter()
        response = client.get("/api/v1/reports/poc/", {"period": str(year)})
        elapsed = time.perf_counter() - began
        assert response.status_code == 200, response.content[:500]
        served.figures = len(response.json()["figures"])  # type: ignore[attr-defined]
        return elapsed

    def bare() -> float:
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(BARE, params)
            bare.rows = len(cursor.fetchall())  # type: ignore[attr-defined]
        return time.perf_counter() - began

    try:
        served(), bare()
        api, floor = [], []
        for _ in range(args.repeat):
            api.append(served())
            floor.append(bare())
        a, f = statistics.median(api), statistics.median(floor)
        rollups = Rollup.objects.count()
        missions = Rollup.objects.values("mission").distinct().count()
        print(f"| all-missions report of {year} ({missions} missions, {rollups:,} rollups) | ms |")
        print("| --- | --- |")
        print(f"| JSON report, server time (median of {args.repeat}) | {a * 1000:.0f} |")
        print(f"| bare SQL of the same rows | {f * 1000:.1f} |")
        print(f"| ratio | {a / f:.1f}× |")
        print(f"\nfigures in the report: {served.figures}; rows of the bare query: {bare.rows}")  # type: ignore[attr-defined]
    finally:
        reader.delete()
        connection.close()


if __name__ == "__main__":
    main()
