"""Dashboard benchmark on PostgreSQL: the leadership dashboard's server time against the bare SQL
of the same reads, in one run.

    .venv/bin/python benchmarks/dashboard.py                      # the full-size demo data
    .venv/bin/python benchmarks/dashboard.py --scale 0.05 --keep  # a twentieth, kept afterwards
    .venv/bin/python benchmarks/dashboard.py --reuse              # measure the kept one again

It creates (and afterwards drops, unless --keep) a database of its own, seeds it with the demo
generator and its rollups (or, with --reuse, measures one an earlier run kept), then, as a
leadership member of the mission with the most rollups, times `GET /missions/<acronym>/`
through Django's test client (the whole server side: session, the mission, its figures, the
series, the risk matrix, the map's counts, the key elements and the template) for the last
full month, a sector of it and the year to date. The floor is the same queries, captured from
one request and replayed through a bare cursor, fetching every row. Median of --repeat runs
of each, alternated, after one warm-up.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from rollups import (  # noqa: E402
    _memory_gib,
    database_seeded,
    drop_database,
    recreate_database,
    seed_with_rollups,
)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the default sizes")
    parser.add_argument("--missions", type=int, default=10)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/poc_tracker_bench"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure a database an earlier run kept (--keep) instead of seeding a new one",
    )
    parser.add_argument("--output", type=Path, help="also write the figures to this file")
    return parser.parse_args()


def main() -> None:
    args = parse()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SECRET_KEY", "benchmark")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "poc_tracker.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("SECURE_COOKIES", "false")
    reuse = args.reuse and database_seeded(args.database_url)
    if not reuse:
        recreate_database(args.database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from indicators.models import Observation, Rollup
    from missions.choices import AreaKind, MissionRole
    from missions.models import Area, Mission
    from tests.factories.missions import MembershipFactory

    # the static files' plain storage: no collected manifest is needed to name them
    override_settings(
        ALLOWED_HOSTS=["testserver"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ).enable()
    call_command("migrate", verbosity=0)
    seeded = "reused from an earlier run"
    if not reuse:
        seeded = seed_with_rollups(scale=args.scale, missions=args.missions, years=args.years)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]

    busiest = (
        Rollup.objects.order_by().values("mission").annotate(n=Count("pk")).order_by("-n").first()
    )
    assert busiest, "no rollups: seed the database first"
    mission = Mission.objects.get(pk=busiest["mission"])
    sector = Area.objects.filter(mission=mission, kind=AreaKind.SECTOR).order_by("pk").first()
    reader = MembershipFactory(mission=mission, role=MissionRole.LEADERSHIP).user
    client = Client()
    client.force_login(reader)
    url = f"/missions/{mission.acronym}/"
    last_month = (mission.local_date().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    cases = {
        "last full month, whole mission": {"period": "month", "on": last_month.isoformat()},
        "last full month, a sector": {
            "period": "month",
            "on": last_month.isoformat(),
            "area": str(sector.pk) if sector else "",
        },
        "year to date, whole mission": {"period": "ytd"},
    }

    def served(params: dict[str, str]) -> float:
        began = time.perf_counter()
        response = client.get(url, params)
        elapsed = time.perf_counter() - began
        assert response.status_code == 200, response.content[:500]
        return elapsed

    def captured(params: dict[str, str]) -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            served(params)
        return [q["sql"] for q in queries.captured_queries]

    def bare(statements: list[str]) -> float:
        began = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
        return time.perf_counter() - began

    rows = []
    try:
        for name, params in cases.items():
            statements = captured(params)
            served(params), bare(statements)
            page, floor = [], []
            for _ in range(args.repeat):
                page.append(served(params))
                floor.append(bare(statements))
            p, f = statistics.median(page) * 1000, statistics.median(floor) * 1000
            rows.append(f"| {name} | {len(statements)} | {p:.1f} ms | {f:.1f} ms | {p / f:.1f}× |")
        counts = {
            "observations": Observation.objects.count(),
            "rollups": Rollup.objects.count(),
            "areas": Area.objects.filter(mission=mission).count(),
        }
    finally:
        reader.delete()
    table = "\n".join(rows)
    report = f"""## Run of {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC

Command: `.venv/bin/python benchmarks/dashboard.py --scale {args.scale:g} --missions {args.missions} --years {args.years} --repeat {args.repeat}`

Machine: {os.cpu_count()} cores, {_memory_gib():.0f} GiB, {platform.platform()}, Python {platform.python_version()}, PostgreSQL {server}.

Data ({args.missions} missions, {args.years} years, scale {args.scale:g}; {seeded}): {counts["observations"]:,} observations, {counts["rollups"]:,} rollups; {mission.acronym} (the mission with the most rollups, {counts["areas"]} areas), as a leadership member, through Django's test client.

| dashboard | queries | server time, median | bare SQL of the same queries, median | ratio |
|---|---|---|---|---|
{table}
"""
    print(report)
    if args.output:
        args.output.write_text(report)
    connection.close()
    if not args.keep:
        drop_database(args.database_url)


if __name__ == "__main__":
    main()
