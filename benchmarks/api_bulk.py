"""Batch submission benchmark on PostgreSQL: 5,000 observations with their figures through
`POST /api/v1/observations/bulk/`, against a bare `bulk_create` of the same rows.

    .venv/bin/python benchmarks/api_bulk.py                    # 5,000 rows, 5 repetitions
    .venv/bin/python benchmarks/api_bulk.py --rows 1000 --sex-age

It creates (and afterwards drops, unless --keep) a database of its own, migrates it, and makes
one mission with its localities, hand-logged monthly indicators and a JOC officer. Then, each
repetition on months of its own (so that no row repeats a stored place and period):

- endpoint: the batch as JSON, posted through Django's test client with the officer signed in:
  the whole server side (middleware, parsing, validation, the policy, the bulk service with its
  audit entries, the transaction's commit, the answer), timed around the call;
- floor: `Observation.objects.bulk_create` and `ObservationValue.objects.bulk_create` of the
  same rows, built in memory beforehand, in one committed transaction, as many rows a
  statement as the service writes (`core.batches.INSERT_ROWS`).

A one-row batch of each goes first, unmeasured, to warm the process up (imports, the URLconf,
translations). It prints the median of each, and their ratio, as Markdown.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sex-age", action="store_true", help="five figures a row, not one")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/poc_bulk")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


def _admin(url: str, sql: str) -> None:
    import psycopg2

    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql)
    admin.close()


def month(index: int) -> tuple[datetime.date, datetime.date]:
    """The `index`-th month back from January 2026."""
    year, number = 2026 - index // 12, 12 - index % 12
    start = datetime.date(year, number, 1)
    end = datetime.date(year + number // 12, number % 12 + 1, 1) - datetime.timedelta(days=1)
    return start, end


def setup(rows: int, sex_age: bool) -> dict[str, Any]:
    from core.choices import SexAge
    from indicators.choices import Disaggregation
    from missions.choices import MissionRole
    from tests.factories.accounts import UserFactory
    from tests.factories.indicators import IndicatorFactory
    from tests.factories.missions import LocalityFactory, MembershipFactory, MissionFactory

    mission = MissionFactory()
    localities = [LocalityFactory(mission=mission) for _ in range(100)]
    indicators = [
        IndicatorFactory(disaggregation=Disaggregation.SEX_AGE if sex_age else Disaggregation.NONE)
        for _ in range(-(-rows // len(localities)))
    ]
    officer = MembershipFactory(
        mission=mission, user=UserFactory(), role=MissionRole.JOC_OFFICER
    ).user
    groups = (
        [SexAge.WOMEN, SexAge.MEN, SexAge.GIRLS, SexAge.BOYS, SexAge.UNKNOWN]
        if sex_age
        else [SexAge.TOTAL]
    )
    places = [(i, a) for i in indicators for a in localities][:rows]
    return {"mission": mission, "places": places, "officer": officer, "groups": groups}


def batch(world: dict[str, Any], index: int) -> list[dict[str, Any]]:
    start, end = month(index)
    return [
        {
            "indicator": indicator.pk,
            "mission": world["mission"].pk,
            "area": area.pk,
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "client_id": str(uuid.uuid4()),
            "values": [{"disaggregation": g, "value": str(n % 50)} for g in world["groups"]],
        }
        for n, (indicator, area) in enumerate(world["places"])
    ]


def endpoint(world: dict[str, Any], index: int) -> float:
    from django.test import Client

    client = Client()
    client.force_login(world["officer"])
    body = json.dumps(batch(world, index))
    began = time.perf_counter()
    response = client.post("/api/v1/observations/bulk/", body, content_type="application/json")
    elapsed = time.perf_counter() - began
    assert response.status_code == 201, response.content[:2000]
    return elapsed


def floor(world: dict[str, Any], index: int) -> float:
    from django.db import transaction

    from core.batches import INSERT_ROWS
    from indicators.models import Observation, ObservationValue

    start, end = month(index)
    observations = [
        Observation(
            indicator=indicator,
            mission=world["mission"],
            area=area,
            period_start=start,
            period_end=end,
            logged_by=world["officer"],
            client_id=uuid.uuid4(),
        )
        for indicator, area in world["places"]
    ]
    began = time.perf_counter()
    with transaction.atomic():  # in statements of as many rows as the service's
        Observation.objects.bulk_create(observations, batch_size=INSERT_ROWS)
        ObservationValue.objects.bulk_create(
            (
                ObservationValue(observation=o, disaggregation=g, value=n % 50)
                for n, o in enumerate(observations)
                for g in world["groups"]
            ),
            batch_size=INSERT_ROWS,
        )
    return time.perf_counter() - began


def main() -> None:
    args = parse()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SECRET_KEY", "benchmark")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poc_tracker.settings")
    os.environ["API_BATCH_RATE"] = "10000/minute"
    # plain HTTP on loopback, and no rate limit in the way of the measurement
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("SECURE_COOKIES", "false")
    os.environ.setdefault("API_RATE", "1000000/minute")
    name = args.database_url.rsplit("/", 1)[1]
    _admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}"')
    _admin(args.database_url, f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["testserver"]
    try:
        call_command("migrate", verbosity=0)
        world = setup(args.rows, args.sex_age)
        # warm up on one row of another month: imports, URLconf, translations, first queries
        endpoint({**world, "places": world["places"][:1]}, 2 * args.repeat)
        floor({**world, "places": world["places"][:1]}, 2 * args.repeat + 1)
        served, floors = [], []
        for repetition in range(args.repeat):
            served.append(endpoint(world, 2 * repetition))
            floors.append(floor(world, 2 * repetition + 1))
        s, f = statistics.median(served), statistics.median(floors)
        figures = len(world["groups"])
        print(f"| {args.rows:,} observations × {figures} figure(s), median of {args.repeat} | s |")
        print("| --- | --- |")
        print(f"| endpoint (server time) | {s:.3f} |")
        print(f"| floor: bare bulk_create | {f:.3f} |")
        print(f"| ratio | {s / f:.1f}× |")
        print(f"\nall endpoint runs: {', '.join(f'{x:.3f}' for x in served)}")
        print(f"all floor runs: {', '.join(f'{x:.3f}' for x in floors)}")
    finally:
        connection.close()
        if not args.keep:
            _admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
