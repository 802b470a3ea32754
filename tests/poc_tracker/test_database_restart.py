"""PostgreSQL restarted under load: the web (gunicorn, as the Procfile runs it, connections
kept for a minute) answers again without a restart of its own, and every write it
acknowledged is stored exactly once.

The server restarted is a cluster of the test's own, on a free port (never the shared one):
JOC clients send batches of incidents with an Idempotency-Key, retrying each with the same key
and body until acknowledged, while the cluster is restarted once under that load and once
with the clients paused, which leaves every web worker a connection the restart has dropped.
The test logs its figures (`-o log_cli=true --log-cli-level=INFO` shows them).
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
import requests
from django.conf import settings
from django.db import connection

from tests.workers import REDIS, RedisServer, free_port, redis_of_its_own

logger = logging.getLogger(__name__)

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")
CLIENTS = 4
ROWS = 2  # incidents a batch

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="brings a PostgreSQL of its own: run once, with the PostgreSQL tests",
)

# A mission, a JOC officer in it with a device's token, and a locality to log incidents in.
SETUP = """
import json, django
django.setup()
from api.models import ApiToken
from missions.choices import MissionRole
from tests.factories.missions import LocalityFactory, MembershipFactory, MissionFactory
mission = MissionFactory(acronym="RESTART")
joc = MembershipFactory(mission=mission, role=MissionRole.JOC_OFFICER).user
token = ApiToken.objects.issue(user=joc, name="device", read_only=False, expiry=None)[1]
area = LocalityFactory(mission=mission)
print(json.dumps({"mission": mission.pk, "area": area.pk, "token": token}))
"""


class Cluster:
    """A PostgreSQL cluster in a directory of its own, run as `postgres` when the test runs as
    root (initdb refuses root)."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="poc-restart-"))
        self.data = self.directory / "data"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.directory, "postgres", "postgres")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/poc"
        self.log = str(self.directory / "server.log")

    def _run(self, program: str, *arguments: str) -> float:
        started = time.monotonic()
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        command = [*prefix, str(POSTGRES_BIN / program), "-D", str(self.data), *arguments]
        # no pipe: the server pg_ctl starts would hold it open
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, timeout=60)
        return time.monotonic() - started

    def start(self) -> None:
        self._run("initdb", "-A", "trust", "-U", "postgres", "--no-sync")
        options = f"-k {self.directory} -p {self.port} -c listen_addresses=127.0.0.1"
        self._run("pg_ctl", "start", "-w", "-l", self.log, "-o", options)
        admin = psycopg2.connect(self.url.rsplit("/", 1)[0] + "/postgres")
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("CREATE DATABASE poc")
        admin.close()

    def restart(self) -> float:
        """Restart the server (a fast shutdown: sessions ended, transactions rolled back);
        return how long it took, until it accepted connections again."""
        return self._run("pg_ctl", "restart", "-w", "-l", self.log, "-m", "fast")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-m", "immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if not (POSTGRES_BIN / "initdb").exists() or not os.path.exists(REDIS):
        pytest.skip("needs PostgreSQL 15's server binaries and redis-server")
    cluster = Cluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def broker() -> Iterator[RedisServer]:
    """The web's rollup tasks go to a Redis of the test's own, which nothing consumes."""
    with redis_of_its_own() as server:
        yield server


def _environment(cluster: Cluster, broker: RedisServer) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "poc_tracker.settings",
        "DATABASE_URL": cluster.url,
        "CONN_MAX_AGE": "60",
        "CELERY_BROKER_URL": broker.url,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "database-restart-test",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "API_RATE": "1000000/minute",
        "API_BATCH_RATE": "1000000/minute",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(settings.BASE_DIR),
    }


@dataclasses.dataclass
class Attempt:
    started: float
    ended: float
    answer: str  # the status code, or the error's class when no answer came


class Clients:
    """JOC devices sending batches of incidents, each retried with its key until answered 201;
    every attempt is noted, and every acknowledged client id."""

    def __init__(self, base: str, setup: dict[str, object]) -> None:
        self.base, self.setup = base, setup
        self.attempts: list[Attempt] = []
        self.acknowledged: list[str] = []
        self.running = threading.Event()
        self.stopping = threading.Event()
        self.idle = [threading.Event() for _ in range(CLIENTS)]
        self.errors: list[BaseException] = []
        self.threads = [
            threading.Thread(target=self._client, args=(n,), daemon=True) for n in range(CLIENTS)
        ]

    def _client(self, n: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {self.setup['token']}"
        try:
            while not self.stopping.is_set():
                if not self.running.is_set():
                    self.idle[n].set()
                    self.running.wait(timeout=0.1)
                    continue
                self.idle[n].clear()
                self._send(session)
        except BaseException as error:  # reported in the test's own thread
            self.errors.append(error)

    def _send(self, session: requests.Session) -> None:
        rows = [
            {
                "mission": self.setup["mission"],
                "area": self.setup["area"],
                "occurred_on": datetime.datetime.now(datetime.UTC).date().isoformat(),
                "incident_type": "killing_maiming",
                "perpetrator_category": "non_state_armed_group",
                "source_type": "un_patrol",
                "verification_status": "verified",
                "killed_women": 1,
                "client_id": str(uuid.uuid4()),
            }
            for _ in range(ROWS)
        ]
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                response = session.post(
                    f"{self.base}/api/v1/incidents/bulk/", json=rows, headers=headers, timeout=20
                )
                answer = str(response.status_code)
            except requests.RequestException as error:
                answer = type(error).__name__
            self.attempts.append(Attempt(started, time.monotonic(), answer))
            if answer == "201":
                self.acknowledged.extend(row["client_id"] for row in response.json())
                return
            # the database away: "unavailable, retry after a while", never a 500
            assert answer == "503" or not answer.isdigit(), response.text[:500]
            assert not answer.isdigit() or response.headers["Retry-After"] == "5"
            time.sleep(0.1)  # the same key and body again: a retry, never a second batch
        raise AssertionError("a batch was never acknowledged")

    def start(self) -> None:
        self.running.set()
        for thread in self.threads:
            thread.start()

    def pause(self) -> None:
        self.running.clear()
        assert all(event.wait(timeout=60) for event in self.idle), "clients never paused"

    def stop(self) -> None:
        self.stopping.set()
        self.running.set()
        for thread in self.threads:
            thread.join(timeout=90)

    def acknowledged_after(self, moment: float, count: int, seconds: float = 60) -> None:
        """Wait for `count` more acknowledgements of attempts started after `moment`."""
        deadline = time.monotonic() + seconds
        while sum(a.answer == "201" and a.started > moment for a in self.attempts) < count:
            assert not self.errors, self.errors
            assert time.monotonic() < deadline, f"{count} acknowledgements never came"
            time.sleep(0.1)


def _workers(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children}


def _answered(base: str, token: str) -> bool:
    try:
        response = requests.get(
            f"{base}/api/v1/incidents/", headers={"Authorization": f"Token {token}"}, timeout=5
        )
    except requests.RequestException:
        return False
    return response.status_code == 200


def test_the_web_survives_a_database_restart_and_keeps_every_acknowledged_write(
    cluster: Cluster, broker: RedisServer
) -> None:
    # given the web against a migrated database of a cluster of the test's own
    env = _environment(cluster, broker)
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, timeout=120)
    setup = json.loads(
        subprocess.run(
            [sys.executable, "-c", SETUP], env=env, check=True, capture_output=True, text=True
        ).stdout.splitlines()[-1]
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    web_log = (cluster.directory / "web.log").open("w")  # its 500s' tracebacks
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    web = subprocess.Popen(
        [gunicorn, "poc_tracker.wsgi", f"--bind=127.0.0.1:{port}", "--workers=2", "--timeout=120"],
        cwd=settings.BASE_DIR,
        env=env,
        stderr=web_log,
    )
    clients = Clients(base, setup)
    try:
        deadline = time.monotonic() + 60
        while not _answered(base, setup["token"]):
            assert web.poll() is None and time.monotonic() < deadline, "the web never answered"
            time.sleep(0.2)
        workers = _workers(web.pid)

        # when the clients write, and the cluster restarts under their load
        clients.start()
        clients.acknowledged_after(0, 3 * CLIENTS)
        restarting = time.monotonic()
        under_load = cluster.restart()
        back = time.monotonic()
        clients.acknowledged_after(back, 3 * CLIENTS)

        # and once more while they pause, every web worker's kept connection dropped by it
        clients.pause()
        idle = cluster.restart()
        resumed = time.monotonic()
        clients.running.set()
        clients.acknowledged_after(resumed, 3 * CLIENTS)
        clients.stop()
        assert not clients.errors, clients.errors

        # then the web answers, with the processes it had: no restart of its own
        assert _answered(base, setup["token"])
        assert web.poll() is None and _workers(web.pid) == workers
    finally:
        clients.stop()
        web.terminate()
        web.wait(timeout=30)
        web_log.close()

    # and no attempt started once the server was back failed: kept connections were renewed
    failed = [a for a in clients.attempts if a.answer != "201"]
    assert [a for a in failed if a.started > back] == []

    # and every acknowledged incident is stored exactly once, and none that was not
    database = psycopg2.connect(cluster.url)
    with database.cursor() as cursor:
        cursor.execute("SELECT client_id::text FROM incidents_incident")
        stored = [row[0] for row in cursor.fetchall()]
    database.close()
    assert len(stored) == len(set(stored))
    assert sorted(stored) == sorted(clients.acknowledged)

    last_failure = max((a.ended for a in failed), default=restarting)
    answered_again = min(a.ended for a in clients.attempts if a.ended > last_failure)
    logger.info(
        "restart under load %.1f s, idle %.1f s; %d attempts, %d failed (%s), answers again "
        "%.1f s after the restart began; %d batches acknowledged, %d incidents stored, each once",
        under_load,
        idle,
        len(clients.attempts),
        len(failed),
        ", ".join(sorted({a.answer for a in failed})) or "none",
        answered_again - restarting,
        len(clients.acknowledged) // ROWS,
        len(stored),
    )
