"""Load test of the production layout on PostgreSQL and Redis: bounded, on loopback only.

    .venv/bin/pip install -r benchmarks/requirements-load.txt   # locust, once
    .venv/bin/python benchmarks/load.py                          # 50 JOC clients for 60 s
    .venv/bin/python benchmarks/load.py --seconds 30 --output docs/load.md

It creates (and afterwards drops, unless --keep) a database of its own, seeds one small demo
mission, issues a token per JOC device, then starts gunicorn and a Celery worker as the
Procfile does (Redis as broker and cache, on database numbers of its own) and runs locust as
a process of its own (benchmarks/locustfile.py): --clients JOC clients send batches of
incidents and of draft observations with idempotency keys, retrying each until acknowledged,
while --readers readers pull the lists, the Secretariat report and the dashboard. Locust stops
by itself after --seconds. Then it checks:

- every acknowledged batch is stored exactly once: the records created during the run are
  exactly the ids the acknowledgements named, none twice, none missing;
- once the workers have done the rollup work left (PendingRollupWork empty), the stored
  rollups equal a rebuild from scratch.

It prints throughput and p50 / p95 / p99 latency per endpoint as Markdown (--output: a file).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from rollups import _memory_gib, drop_database, recreate_database  # noqa: E402


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/poc_load_test"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379", help="Without a database.")
    parser.add_argument("--broker-db", type=int, default=13)
    parser.add_argument("--cache-db", type=int, default=14)
    parser.add_argument("--port", type=int, default=8798)
    parser.add_argument("--clients", type=int, default=50, help="JOC clients.")
    parser.add_argument("--readers", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--celery-workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    parser.add_argument("--output", type=Path)
    return parser.parse_args()


def wait_until(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise SystemExit(f"gave up waiting for {what}")


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/?format=json", timeout=5) as r:
            return r.status == 200
    except OSError:
        return False


def main() -> None:
    args = parse()
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "CELERY_BROKER_URL": f"{args.redis}/{args.broker_db}",
        "CACHE_URL": f"{args.redis}/{args.cache_db}",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test"),
        "DJANGO_SETTINGS_MODULE": "poc_tracker.settings",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # plain HTTP on loopback; the clients are many devices of few users
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "API_RATE": "1000000/minute",
        "API_BATCH_RATE": "1000000/minute",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "60",
    }
    results = Path(tempfile.mkdtemp(prefix="poc-load-"))
    env["STATIC_ROOT"] = str(results / "static")
    os.environ.update(env)
    recreate_database(args.database_url)

    import django

    django.setup()
    import redis
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from api.models import ApiToken
    from incidents.models import Incident
    from indicators.models import Indicator, Observation, PendingRollupWork
    from indicators.rollups import rollup_rebuild
    from missions.models import Area, Mission
    from tests.figures import stored_rollups
    from threats.choices import PerpetratorCategory

    for db in (args.broker_db, args.cache_db):
        redis.Redis.from_url(f"{args.redis}/{db}").flushdb()
    call_command("migrate", verbosity=0)  # the release steps
    call_command("collectstatic", "--no-input", verbosity=0)
    call_command(
        "seed_demo",
        "--quiet",
        missions=1,
        years=1,
        incidents=2000,
        alerts=500,
        activities=500,
        observations=5000,
        localities=12,
    )
    mission = Mission.objects.get()
    joc = User.objects.filter(memberships__mission=mission, memberships__role="joc_officer")[0]
    tokens = [
        ApiToken.objects.issue(user=joc, name=f"device {n}", read_only=False, expiry=None)[1]
        for n in range(args.clients)
    ]
    reader = User.objects.get(username="secretariat")
    weekly = Indicator.objects.filter(
        frequency="weekly", disaggregation="none", source="manual", is_active=True
    ).order_by("code")[0]
    today = datetime.datetime.now(datetime.UTC).date()
    setup = {
        "mission": mission.pk,
        "localities": list(
            Area.objects.localities().filter(mission=mission).values_list("pk", flat=True)
        ),
        "joc_tokens": tokens,
        "reader_token": ApiToken.objects.issue(
            user=reader, name="reader", read_only=True, expiry=None
        )[1],
        "weekly_indicator": weekly.pk,
        "perpetrators": list(PerpetratorCategory.values),
        "today": today.isoformat(),
        "first_monday": "2000-01-03",
        "report_url": f"/api/v1/reports/poc/?period={today:%Y-%m}",
        "dashboard_url": f"/missions/{mission.acronym}/",
        "leadership": f"{mission.acronym.lower()}-leadership",
    }
    (results / "setup.json").write_text(json.dumps(setup))
    started_at = datetime.datetime.now(datetime.UTC)
    before = {
        "incidents": set(Incident.objects.values_list("pk", flat=True)),
        "observations": set(Observation.objects.values_list("pk", flat=True)),
    }
    connection.close()

    bin_dir = Path(sys.executable).parent
    processes = [
        subprocess.Popen(
            [
                str(bin_dir / "gunicorn"),
                f"--workers={args.web_workers}",
                f"--bind=127.0.0.1:{args.port}",
                "--log-level=warning",
                "poc_tracker.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
        ),
        subprocess.Popen(
            [
                str(bin_dir / "celery"),
                "-A",
                "poc_tracker",
                "--quiet",
                "worker",
                f"--concurrency={args.celery_workers}",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
        ),
    ]
    try:
        wait_until(lambda: healthy(args.port), 60, "the web and the worker")
        locust = shutil.which("locust", path=str(bin_dir)) or "locust"
        subprocess.run(
            [
                locust,
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                f"--users={args.clients + args.readers}",
                f"--spawn-rate={args.clients + args.readers}",
                f"--run-time={args.seconds}s",
                "--stop-timeout=10",
                f"--host=http://127.0.0.1:{args.port}",
                f"--csv={results / 'stats'}",
                "--only-summary",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env={
                **env,
                "LOAD_SETUP": str(results / "setup.json"),
                "LOAD_RESULTS": str(results),
                "LOAD_CLIENTS": str(args.clients),
                "LOAD_READERS": str(args.readers),
            },
            check=True,
        )
        wait_until(
            lambda: not PendingRollupWork.objects.exists(), 300, "the rollup work to be done"
        )
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)

    # every acknowledged batch stored exactly once
    acknowledged: dict[str, list[int]] = {"incidents": [], "observations": []}
    for path in results.glob("*.jsonl"):
        for line in path.read_text().splitlines():
            answer = json.loads(line)
            kind = "incidents" if "incidents" in answer["path"] else "observations"
            acknowledged[kind].extend(row["id"] for row in answer["ids"])
    stored = {
        "incidents": set(Incident.objects.values_list("pk", flat=True)) - before["incidents"],
        "observations": set(Observation.objects.values_list("pk", flat=True))
        - before["observations"],
    }
    checks = []
    for kind, ids in acknowledged.items():
        once = len(ids) == len(set(ids)) and set(ids) == stored[kind]
        checks.append(
            f"| {kind} | {len(ids):,} acknowledged | {len(stored[kind]):,} stored | "
            f"{'exactly once' if once else 'MISMATCH'} |"
        )
    settled = stored_rollups()
    rollup_rebuild()
    rebuilt = stored_rollups()
    rollups_equal = settled == rebuilt

    rows = []
    with (results / "stats_stats.csv").open() as stats:
        for row in csv.DictReader(stats):
            rows.append(
                f"| {row['Type']} {row['Name']} | {int(row['Request Count']):,} | "
                f"{int(row['Failure Count']):,} | {float(row['Requests/s']):.1f} | "
                f"{row['50%']} | {row['95%']} | {row['99%']} |"
            )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    table, check_table = "\n".join(rows), "\n".join(checks)
    report = f"""### Load test of {started_at:%Y-%m-%d %H:%M} UTC

Command: `.venv/bin/python benchmarks/load.py --clients {args.clients} --readers {args.readers} --seconds {args.seconds}`

Machine: {os.cpu_count()} cores, {_memory_gib():.0f} GiB, {platform.platform()}, Python {platform.python_version()}, PostgreSQL {server}, Redis; gunicorn {args.web_workers} sync workers, Celery {args.celery_workers} worker processes, locust on the same machine. One demo mission ({len(before["incidents"]):,} incidents before the run).

| endpoint | requests | failures | requests/s | p50 ms | p95 ms | p99 ms |
|---|---|---|---|---|---|---|
{table}

| records | acknowledged | stored during the run | |
|---|---|---|---|
{check_table}

Rollups after the workers finished, against a rebuild from scratch: {"equal" if rollups_equal else "DIFFERENT"} ({len(settled):,} rows).
"""
    print(report)
    if args.output:
        args.output.write_text(report)
    if not args.keep:
        connection.close()
        drop_database(args.database_url)
    shutil.rmtree(results, ignore_errors=True)
    if not rollups_equal or any("MISMATCH" in line for line in checks):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
