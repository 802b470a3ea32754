"""API benchmark on PostgreSQL: a page of incidents under gunicorn against a bare Django view,
and the latency of the large lists with their common filters.

    .venv/bin/python benchmarks/api.py                # the full-size demo data (default)
    .venv/bin/python benchmarks/api.py --scale 0.1    # a tenth of everything
    .venv/bin/python benchmarks/api.py --scale 0.1 --keep   # and keep the seeded database
    .venv/bin/python benchmarks/api.py --reuse        # measure the kept one again, unseeded

It creates (and afterwards drops, unless --keep) a database of its own, seeds it with the demo
generator (rollups included), starts gunicorn (2 sync workers) with the benchmark's settings
(benchmarks/api_settings.py, which add the bare view of benchmarks/api_urls.py), then
measures in one run:

- throughput: requests/s of the API's first page of 100 incidents (`/api/v1/incidents/`,
  token authentication, as the Secretariat) and of the bare view answering the same rows with
  `values()` as JSON, each for --seconds with --clients concurrent clients, alternated three
  times, best of each; the ratio API / bare is the API's cost (aim ≥ 0.5);
- latency: p50 and p95 of --repeat requests of each of the incidents, observations and
  rollups lists with their common filters (mission, area, date range, status), page_size=100,
  one request at a time.

Figures are printed as Markdown; --output writes them to a file too.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
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
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=10.0, help="per throughput round")
    parser.add_argument("--repeat", type=int, default=40, help="requests per filtered list")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/poc_tracker_bench"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure a database an earlier run kept (--keep) instead of seeding a new one; "
        "it is migrated first, and kept afterwards",
    )
    parser.add_argument("--output", type=Path, help="also write the figures to this file")
    return parser.parse_args()


def get(port: int, url: str, headers: dict[str, str]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", url, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def throughput(port: int, url: str, headers: dict[str, str], clients: int, seconds: float) -> float:
    """Requests/s answered 200 by `clients` threads asking `url` over and over for `seconds`."""
    done = [0] * clients
    failed: list[int] = []
    deadline = time.perf_counter() + seconds

    def client(n: int) -> None:
        while time.perf_counter() < deadline:
            status, _body = get(port, url, headers)
            if status != 200:
                failed.append(status)
                return
            done[n] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failed:
        raise SystemExit(f"{url} answered {failed[0]}")
    return sum(done) / (time.perf_counter() - started)


def latencies(
    port: int, url: str, headers: dict[str, str], repeat: int
) -> tuple[float, float, int]:
    """p50 and p95 in ms of `repeat` requests one at a time, and the page's length."""
    seconds, items = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        status, body = get(port, url, headers)
        seconds.append(time.perf_counter() - started)
        if status != 200:
            raise SystemExit(f"{url} answered {status}: {body[:300]!r}")
        items = body.count(b'"id":')
    ms = sorted(s * 1000 for s in seconds)
    return statistics.median(ms), ms[max(0, int(len(ms) * 0.95) - 1)], items


def wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit("gunicorn did not start")
        try:
            get(port, "/api/v1/", {})
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not answer")


def filtered_lists(
    mission, year_start: datetime.date, year_end: datetime.date
) -> list[tuple[str, str, dict[str, object]]]:
    """(list, what, query) for each list and its common filters, on one mission."""
    from django.db.models import Count

    from incidents.models import Incident
    from indicators.models import Observation, Rollup
    from missions.choices import AreaKind
    from missions.models import Area

    sector = Area.objects.filter(mission=mission, kind=AreaKind.SECTOR).order_by("pk").first()
    assert sector is not None, "the demo missions have sectors"

    def commonest(model, field: str) -> object:
        row = (
            model.objects.filter(mission=mission)
            .values(field)
            .annotate(n=Count("pk"))
            .order_by("-n")
            .first()
        )
        return row[field]

    dates = {"after": year_start.isoformat(), "before": year_end.isoformat()}
    verification = commonest(Incident, "verification_status")
    state = commonest(Observation, "state")
    status = commonest(Rollup, "status")
    m = {"mission": mission.pk, "page_size": 100}
    return [
        ("incidents", "mission", m),
        ("incidents", "mission, sector with its areas", {**m, "area": sector.pk}),
        (
            "incidents",
            "mission, one year",
            {**m, **{f"occurred_on_{k}": v for k, v in dates.items()}},
        ),
        (
            "incidents",
            f"mission, verification {verification}",
            {**m, "verification_status": verification},
        ),
        ("observations", "mission", m),
        ("observations", "mission, sector with its areas", {**m, "area": sector.pk}),
        (
            "observations",
            "mission, one year",
            {**m, **{f"period_start_{k}": v for k, v in dates.items()}},
        ),
        ("observations", f"mission, state {state}", {**m, "state": state}),
        ("rollups", "mission", m),
        ("rollups", "mission, sector level, one sector", {**m, "level": 1, "area": sector.pk}),
        (
            "rollups",
            "mission, months of one year",
            {**m, "period": "month", **{f"period_start_{k}": v for k, v in dates.items()}},
        ),
        ("rollups", f"mission, status {status}", {**m, "status": status}),
    ]


def main() -> None:
    args = parse()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SECRET_KEY", "benchmark")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "poc_tracker.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DEBUG"] = "false"
    # plain HTTP on loopback, and no rate limit in the way of the measurement
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("SECURE_COOKIES", "false")
    os.environ.setdefault("API_RATE", "1000000/minute")
    reuse = args.reuse and database_seeded(args.database_url)
    if not reuse:
        recreate_database(args.database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from api.models import ApiToken
    from incidents.models import Incident
    from indicators.models import Observation, Rollup
    from missions.models import Mission

    call_command("migrate", verbosity=0)
    seeded = "reused from an earlier run"
    if not reuse:
        seeded = seed_with_rollups(scale=args.scale, missions=args.missions, years=args.years)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    counts = {
        "incidents": Incident.objects.count(),
        "observations": Observation.objects.count(),
        "rollups": Rollup.objects.count(),
    }
    secretariat = User.objects.get(username="secretariat")
    _token, secret = ApiToken.objects.issue(
        user=secretariat, name="benchmark", read_only=True, expiry=None
    )
    auth = {"Authorization": f"Token {secret}", "Accept": "application/json"}
    # the mission with the most incidents, and the last full year of its records
    mission = max(Mission.objects.all(), key=lambda m: Incident.objects.filter(mission=m).count())
    last = Incident.objects.filter(mission=mission).order_by("-occurred_on").first()
    year = last.occurred_on.year - 1
    lists = filtered_lists(mission, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    connection.close()

    server_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "api_settings",
        "PYTHONPATH": f"{ROOT / 'benchmarks'}:{ROOT}",
        "CONN_MAX_AGE": "60",  # a worker keeps its connection, as in production
    }
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--workers=2",
            f"--bind=127.0.0.1:{args.port}",
            "--log-level=warning",
            "poc_tracker.wsgi:application",
        ],
        env=server_env,
        cwd=ROOT,
    )
    try:
        wait_for(args.port, gunicorn)
        api_url = "/api/v1/incidents/?page_size=100"
        bare_url = "/bare/incidents/?as=secretariat"
        _status, api_body = get(args.port, api_url, auth)
        _status, bare_body = get(args.port, bare_url, {})
        assert api_body.count(b'"id":') == bare_body.count(b'"id":') == 100, "the same 100 rows"
        for url, headers in ((api_url, auth), (bare_url, {})):  # warm both workers up
            throughput(args.port, url, headers, args.clients, 2)
        api_rates, bare_rates = [], []
        for _ in range(3):
            api_rates.append(throughput(args.port, api_url, auth, args.clients, args.seconds))
            bare_rates.append(throughput(args.port, bare_url, {}, args.clients, args.seconds))
        rows = []
        for name, what, query in lists:
            url = f"/api/v1/{name}/?{urllib.parse.urlencode(query)}"
            get(args.port, url, auth)  # warm
            p50, p95, items = latencies(args.port, url, auth, args.repeat)
            rows.append(f"| {name} | {what} | {items} | {p50:.0f} | {p95:.0f} |")
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)

    api_rate, bare_rate = max(api_rates), max(bare_rates)
    table = "\n".join(rows)
    report = f"""### Run of {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC

Command: `.venv/bin/python benchmarks/api.py --scale {args.scale:g} --missions {args.missions} --years {args.years} --clients {args.clients} --seconds {args.seconds:g} --repeat {args.repeat}`

Machine: {os.cpu_count()} cores, {_memory_gib():.0f} GiB, {platform.platform()}, Python {platform.python_version()}, PostgreSQL {server}; gunicorn 2 sync workers, `CONN_MAX_AGE=60`, the client threads on the same machine.

Data ({args.missions} missions, {args.years} years, scale {args.scale:g}; {seeded}): {counts["incidents"]:,} incidents, {counts["observations"]:,} observations, {counts["rollups"]:,} rollups. Lists filtered on {mission.acronym} (the mission with the most incidents), the year {year}; as the Secretariat, with a token.

| measure | figure |
|---|---|
| API, first page of 100 incidents, {args.clients} clients (best of 3 × {args.seconds:g} s) | {api_rate:.1f} requests/s |
| bare view, the same 100 rows with `values()` as JSON (best of 3 × {args.seconds:g} s) | {bare_rate:.1f} requests/s |
| **API / bare** | **{api_rate / bare_rate:.2f}** (aim ≥ 0.5) |

| list | filters (`page_size=100`) | items | p50 ms | p95 ms |
|---|---|---|---|---|
{table}
"""
    print(report)
    if args.output:
        args.output.write_text(report)
    if not (args.keep or reuse):
        drop_database(args.database_url)


if __name__ == "__main__":
    main()
